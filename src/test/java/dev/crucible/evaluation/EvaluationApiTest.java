package dev.crucible.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.crucible.sandbox.SandboxLabels;
import dev.crucible.storage.Installation;
import dev.crucible.support.Api;
import dev.crucible.support.TempStorageInitializer;
import dev.crucible.support.TestDocker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/** The REST API end to end: real HTTP, real H2 file database, real containers. */
@Tag("docker")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"crucible.worker.concurrency=2", "crucible.images.pull-policy=never"})
@ContextConfiguration(initializers = TempStorageInitializer.class)
class EvaluationApiTest {


    @LocalServerPort
    int port;

    @Autowired
    Installation installation;

    Api api;

    @BeforeEach
    void connect() {
        api = new Api("http://localhost:" + port);
    }

    static String installationId;

    @AfterAll
    static void noContainerLeftBehind() {
        if (installationId != null) {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(TestDocker.evaluationContainers(SandboxLabels.INSTALLATION, installationId)).isEmpty());
        }
    }

    @BeforeEach
    void rememberInstallation() {
        installationId = installation.id();
    }

    JsonNode awaitEnd(String evalId) {
        List<JsonNode> seen = new ArrayList<>();
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100)).until(() -> {
            Api.Response r = api.get("/api/eval/" + evalId);
            seen.add(0, r.json());
            return List.of("completed", "failed", "timeout", "cancelled").contains(r.text("status"));
        });
        return seen.get(0);
    }

    String awaitStatus(String evalId, String status) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                .until(() -> status.equals(api.get("/api/eval/" + evalId).text("status")));
        return evalId;
    }

    long total() {
        return api.get("/api/evaluations?limit=1").json().get("count").asLong();
    }

    // ---- the seed's smoke test and the JSON shapes ----

    @Test
    void theSeedsSmokeTestWorksAsWritten() {
        Api.Response submitted = api.post("/api/eval", "{\"code\": \"print(\\\"Hello from Docker!\\\")\"}");
        assertThat(submitted.status()).isEqualTo(202);
        String id = submitted.text("eval_id");
        assertThat(id).matches("\\d{8}_\\d{6}_[0-9a-f]{8}");
        assertThat(submitted.header("Location")).isEqualTo("/api/eval/" + id);
        assertThat(submitted.text("status")).isEqualTo("queued");
        assertThat(submitted.text("message")).isNotBlank();
        assertThat(submitted.json().has("queue_position")).isTrue();

        JsonNode done = awaitEnd(id);
        assertThat(done.get("status").asString()).isEqualTo("completed");
        assertThat(done.get("output").asString()).isEqualTo("Hello from Docker!\n");
        assertThat(done.get("success").asBoolean()).isTrue();
        assertThat(done.get("exit_code").asInt()).isZero();
        // what the run used, measured inside the container
        assertThat(done.get("cpu_time_ms").isNumber()).as(done.toString()).isTrue();
        assertThat(done.get("peak_memory_kb").asLong()).isBetween(1024L, 100 * 1024L);
        JsonNode listed = api.get("/api/evaluations?limit=50").json().get("evaluations");
        JsonNode summary = java.util.stream.StreamSupport.stream(listed.spliterator(), false)
                .filter(s -> id.equals(s.get("eval_id").asString())).findFirst().orElseThrow();
        assertThat(summary.get("peak_memory_kb").asLong()).isEqualTo(done.get("peak_memory_kb").asLong());
        String csv = api.get("/api/evaluations.csv").raw().body();
        assertThat(csv.lines().findFirst().orElseThrow()).contains("\"cpu_time_ms\",\"peak_memory_kb\"");
        assertThat(csv).contains("\"" + done.get("peak_memory_kb").asLong() + "\"");
    }

    @Test
    void aFinishedEvaluationHasEveryFieldOfTheOriginalShape() {
        Api.Response r = api.post("/api/eval?wait=true", "{\"code\": \"import sys\\nprint('out')\\nprint('err', file=sys.stderr)\"}");
        assertThat(r.status()).isEqualTo(200);
        JsonNode e = r.json();
        for (String field : List.of("eval_id", "status", "language", "created_at", "started_at", "completed_at",
                "runtime_ms", "exit_code", "success", "output", "stdout", "stderr", "error", "output_truncated",
                "failure_reason", "image", "limits", "queue_position")) {
            assertThat(e.has(field)).as("field %s in %s", field, e).isTrue();
        }
        assertThat(e.get("language").asString()).isEqualTo("python");
        assertThat(e.get("stdout").asString()).isEqualTo("out\n");
        assertThat(e.get("stderr").asString()).isEqualTo("err\n");
        assertThat(e.get("error").asString()).isEqualTo("err\n");
        assertThat(e.get("output").asString()).isEqualTo("out\nerr\n");
        assertThat(e.get("output_truncated").asBoolean()).isFalse();
        assertThat(e.get("image").asString()).isEqualTo("crucible-runtime/python:3.11");
        assertThat(e.get("image_digest").asString()).startsWith("sha256:");
        assertThat(e.get("limits").get("timeout").asInt()).isEqualTo(30);
        assertThat(e.get("limits").get("memory_limit").asString()).isEqualTo("100Mi");
        assertThat(e.get("limits").get("cpu_limit").asString()).isEqualTo("1");
        assertThat(e.get("created_at").asString()).endsWith("Z");
        assertThat(e.get("queue_position").isNull()).isTrue();
        assertThat(e.get("runtime_ms").asLong()).isPositive();

        JsonNode status = api.get("/api/eval/" + e.get("eval_id").asString() + "/status").json();
        assertThat(status.get("success").asBoolean()).isTrue();
        assertThat(api.get("/api/eval-status/" + e.get("eval_id").asString()).json().get("status").asString())
                .isEqualTo("completed");

        JsonNode logs = api.get("/api/eval/" + e.get("eval_id").asString() + "/logs").json();
        assertThat(logs.get("output").asString()).isEqualTo("out\nerr\n");
        assertThat(logs.get("is_running").asBoolean()).isFalse();
        assertThat(logs.get("source").asString()).isEqualTo("database");
    }

    @Test
    void jsonSentAsCurlDashDSendsItWithTheFormContentTypeIsUnderstoodByteForByte() {
        // curl -d '{...}' http://host/api/eval: no Content-Type given, so curl says form-urlencoded
        String code = "print(1+1, '%d%%' % 50, 'a&b=c')";
        for (String path : List.of("/api/eval", "/api/eval?wait=true")) {
            Api.Response r = api.postAsCurlDoes(path, "{\"code\": \"" + code.replace("'", "\\u0027") + "\"}");
            assertThat(r.status()).as(path + " -> " + r).isIn(200, 202);
            JsonNode done = awaitEnd(r.text("eval_id"));
            assertThat(done.get("code").asString()).isEqualTo(code);
            assertThat(done.get("output").asString()).isEqualTo("2 50% a&b=c\n");
        }
    }

    @Test
    void executorImageChoosesAConfiguredRuntimeAndNothingElse() {
        JsonNode byImage = api.post("/api/eval?wait=true", "{\"code\": \"console.log(typeof process)\", "
                + "\"executor_image\": \"crucible-runtime/node:18\"}").json();
        assertThat(byImage.get("language").asString()).isEqualTo("node");
        assertThat(byImage.get("output").asString()).isEqualTo("object\n");
        JsonNode byName = api.post("/api/eval?wait=true", "{\"code\": \"print(1)\", \"executor_image\": \"python\", "
                + "\"language\": \"py\"}").json();
        assertThat(byName.get("language").asString()).isEqualTo("python");
        long before = total();
        Api.Response unknown = api.post("/api/eval", "{\"code\": \"print(1)\", \"executor_image\": \"python:3.11-slim\"}");
        assertThat(unknown.status()).isEqualTo(422);
        assertThat(unknown.toString()).contains("executor_image").contains("c, cpp, go, java, node, node-module, python, python-science, rust");
        Api.Response clash = api.post("/api/eval", "{\"code\": \"print(1)\", \"executor_image\": \"node\", "
                + "\"language\": \"python\"}");
        assertThat(clash.status()).isEqualTo(422);
        assertThat(total()).isEqualTo(before);

        JsonNode languages = api.get("/api/languages").json().get("languages");
        assertThat(languages.toString()).contains("\"name\":\"python\"").contains("\"version\":\"3.11\"")
                .contains("\"image\":\"crucible-runtime/python:3.11\"").contains("\"compiles\":false")
                .contains("\"extensions\":[\"py\"]").contains("\"aliases\":[\"python3\",\"py\"]");
        // the tests enable every language (src/test/resources/config/application.yml)
        assertThat(languages.size()).isEqualTo(9);

        JsonNode science = api.post("/api/eval?wait=true", "{\"code\": \"import numpy; print(numpy.arange(3).sum())\", "
                + "\"executor_image\": \"python-science\"}").json();
        assertThat(science.get("language").asString()).isEqualTo("python-science");
        assertThat(science.get("image").asString()).isEqualTo("crucible-runtime/python-science:3.11");
        assertThat(science.get("output").asString()).as(science.toString()).isEqualTo("3\n");
    }

    @Test
    void aProgramOfSeveralFilesRunsAndKeepsItsFiles() {
        Api.Response r = api.post("/api/eval?wait=true", "{\"code\": \"from helper import twice\\nprint(twice(21))\", "
                + "\"files\": [{\"name\": \"helper.py\", \"content\": \"def twice(x):\\n    return 2 * x\\n\"}]}");
        assertThat(r.text("output")).as(r.toString()).isEqualTo("42\n");
        assertThat(r.json().get("files").get(0).get("name").asString()).isEqualTo("helper.py");
        JsonNode node = api.post("/api/eval?wait=true", "{\"language\": \"node\", "
                + "\"code\": \"console.log(require('./lib/sum.js')(2, 3))\", "
                + "\"files\": [{\"name\": \"lib/sum.js\", \"content\": \"module.exports = (a, b) => a + b;\"}]}").json();
        assertThat(node.get("output").asString()).as(node.toString()).isEqualTo("5\n");
        // two dots inside a name are a name, not a way up
        JsonNode dots = api.post("/api/eval?wait=true", "{\"code\": \"print(open('data..v2.txt').read())\", "
                + "\"files\": [{\"name\": \"data..v2.txt\", \"content\": \"v2\"}]}").json();
        assertThat(dots.get("output").asString()).as(dots.toString()).isEqualTo("v2\n");
    }

    @Test
    void anExpectedOutputGivesTheEvaluationAVerdict() {
        JsonNode passed = api.post("/api/eval?wait=true", "{\"code\": \"print(6 * 7)  \", \"expected_output\": \"42\"}").json();
        assertThat(passed.get("verdict").asString()).as(passed.toString()).isEqualTo("passed");
        assertThat(passed.get("compare_mode").asString()).isEqualTo("trim");
        assertThat(passed.get("expected_output").asString()).isEqualTo("42");
        JsonNode wrong = api.post("/api/eval?wait=true", "{\"code\": \"print(41)\", \"expected_output\": \"42\"}").json();
        assertThat(wrong.get("verdict").asString()).isEqualTo("wrong_answer");
        JsonNode crashed = api.post("/api/eval?wait=true", "{\"code\": \"print(42)\\n1/0\", \"expected_output\": \"42\"}").json();
        assertThat(crashed.get("verdict").asString()).isEqualTo("error");
        JsonNode close = api.post("/api/eval?wait=true", "{\"code\": \"print(22/7)\", \"expected_output\": \"3.142857\", "
                + "\"compare_mode\": \"numeric\", \"tolerance\": 1e-5}").json();
        assertThat(close.get("verdict").asString()).as(close.toString()).isEqualTo("passed");
        assertThat(close.get("tolerance").asDouble()).isEqualTo(1e-5);
        JsonNode far = api.post("/api/eval?wait=true", "{\"code\": \"print(22/7)\", \"expected_output\": \"3.141593\", "
                + "\"compare_mode\": \"numeric\"}").json();
        assertThat(far.get("verdict").asString()).isEqualTo("wrong_answer");
        // without an expected output there is no verdict, as in the original API
        JsonNode plain = api.post("/api/eval?wait=true", "{\"code\": \"print(1)\"}").json();
        assertThat(plain.get("verdict").isNull()).isTrue();

        long before = total();
        for (String bad : List.of("\"compare_mode\": \"fuzzy\"", "\"tolerance\": -1", "\"tolerance\": \"a\"",
                "\"compare_mode\": 3", "\"expected_output\": 42")) {
            Api.Response r = api.post("/api/eval", "{\"code\": \"print(1)\", \"expected_output\": \"1\", " + bad + "}");
            assertThat(r.status()).as(bad + " -> " + r).isEqualTo(422);
        }
        assertThat(total()).isEqualTo(before);
    }

    @Test
    void argumentsReachTheProgramIntactAndAreKeptWithTheEvaluation() {
        Api.Response r = api.post("/api/eval?wait=true", "{\"code\": \"import sys\\nprint(sys.argv[1:])\", "
                + "\"args\": [\"a b\", \"$HOME\", \"; ls\"]}");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.text("output")).isEqualTo("['a b', '$HOME', '; ls']\n");
        assertThat(r.json().get("args").toString()).isEqualTo("[\"a b\",\"$HOME\",\"; ls\"]");
        // without args the field is an empty list, and the program sees none
        JsonNode none = api.post("/api/eval?wait=true", "{\"code\": \"import sys\\nprint(len(sys.argv))\"}").json();
        assertThat(none.get("output").asString()).isEqualTo("1\n");
        assertThat(none.get("args").size()).isZero();
    }

    @Test
    void limitsStdinAndTheJavascriptAliasAreHonoured() {
        Api.Response r = api.submit(Map.of("code", "const lines = require('fs').readFileSync(0, 'utf8').trim().split('\\n');"
                        + "console.log(lines.length, lines[1]);",
                "language", "javascript", "stdin", "a\nb\n", "timeout", 10, "memory_limit", "256Mi", "cpu_limit", "500m"));
        assertThat(r.status()).isEqualTo(202);
        JsonNode done = awaitEnd(r.text("eval_id"));
        assertThat(done.get("status").asString()).isEqualTo("completed");
        assertThat(done.get("language").asString()).isEqualTo("node");
        assertThat(done.get("stdout").asString()).isEqualTo("2 b\n");
        assertThat(done.get("limits").get("memory_limit").asString()).isEqualTo("256Mi");
        assertThat(done.get("limits").get("cpu_limit").asString()).isEqualTo("500m");
        assertThat(done.get("limits").get("timeout").asInt()).isEqualTo(10);
    }

    @Test
    void failuresAreNamed() {
        JsonNode crash = api.post("/api/eval?wait=true", "{\"code\": \"print('before')\\n1/0\"}").json();
        assertThat(crash.get("status").asString()).isEqualTo("failed");
        assertThat(crash.get("failure_reason").asString()).isEqualTo("nonzero_exit");
        assertThat(crash.get("success").asBoolean()).isFalse();
        assertThat(crash.get("error").asString() + crash.get("output").asString()).contains("ZeroDivisionError");
        assertThat(crash.get("output").asString()).startsWith("before\n");

        JsonNode timeout = api.post("/api/eval?wait=true", "{\"code\": \"while True: pass\", \"timeout\": 2}").json();
        assertThat(timeout.get("status").asString()).isEqualTo("timeout");
        assertThat(timeout.get("runtime_ms").asLong()).isLessThan(15_000);

        JsonNode oom = api.post("/api/eval?wait=true", "{\"code\": \"x = bytearray(300 * 2**20)\", \"memory_limit\": \"64Mi\"}").json();
        assertThat(oom.get("status").asString()).isEqualTo("failed");
        assertThat(oom.get("failure_reason").asString()).isEqualTo("memory_limit");
    }

    // ---- the queue: order, positions, cancel ----

    @Test
    void theQueueRunsPriorityFirstThenAgeAndCancelsQueuedAndRunningWork() {
        String sleeper = "import time\nprint('sleeping', flush=True)\ntime.sleep(120)";
        String blockerA = api.submit(Map.of("code", sleeper, "timeout", 150)).text("eval_id");
        String blockerB = api.submit(Map.of("code", sleeper, "timeout", 150)).text("eval_id");
        awaitStatus(blockerA, "running");
        awaitStatus(blockerB, "running");

        Api.Response low = api.submit(Map.of("code", "print('low')"));
        Api.Response old = api.submit(Map.of("code", "print('old')", "priority", 5));
        Api.Response high = api.submit(Map.of("code", "print('high')", "priority", 5));
        Api.Response doomed = api.submit(Map.of("code", "print('never')", "priority", false));
        assertThat(low.json().get("queue_position").asLong()).isEqualTo(1);
        assertThat(old.json().get("queue_position").asLong()).isEqualTo(1);
        assertThat(high.json().get("queue_position").asLong()).isEqualTo(2);
        assertThat(api.get("/api/eval/" + low.text("eval_id")).json().get("queue_position").asLong()).isEqualTo(3);

        JsonNode queue = api.get("/api/queue/status").json();
        assertThat(queue.get("queued").asLong()).isGreaterThanOrEqualTo(4);
        assertThat(queue.get("processing").asLong()).isEqualTo(2);
        JsonNode running = api.get("/api/evaluations/running").json();
        assertThat(running.get("evaluations")).extracting(n -> n.get("eval_id").asString()).contains(blockerA, blockerB);

        // a queued evaluation is cancelled at once and never runs
        JsonNode cancelled = api.post("/api/eval/" + doomed.text("eval_id") + "/cancel", "").json();
        assertThat(cancelled.get("status").asString()).isEqualTo("cancelled");
        assertThat(cancelled.get("message").asString()).isEqualTo("Evaluation cancelled successfully");

        // a running one: its container is killed
        Api.Response killed = api.post("/api/eval/" + blockerA + "/kill", "");
        assertThat(killed.status()).isEqualTo(200);
        assertThat(killed.text("status")).isEqualTo("cancelled");
        JsonNode a = api.get("/api/eval/" + blockerA).json();
        assertThat(a.get("failure_reason").asString()).isEqualTo("cancelled");
        assertThat(a.get("completed_at").isNull()).isFalse();
        assertThat(TestDocker.containersOf(blockerA))
                .allMatch(c -> !"running".equals(c.getState()));

        // one slot is free: the oldest of the highest priority goes first, then the next, then the low one
        JsonNode oldDone = awaitEnd(old.text("eval_id"));
        JsonNode highDone = awaitEnd(high.text("eval_id"));
        assertThat(api.post("/api/eval/" + blockerB + "/cancel", "").text("status")).isEqualTo("cancelled");
        JsonNode lowDone = awaitEnd(low.text("eval_id"));
        assertThat(oldDone.get("started_at").asString()).isLessThan(highDone.get("started_at").asString());
        assertThat(highDone.get("started_at").asString()).isLessThan(lowDone.get("started_at").asString());
        assertThat(api.get("/api/eval/" + doomed.text("eval_id")).json().get("started_at").isNull()).isTrue();

        // cancelling what has ended changes nothing
        JsonNode again = api.post("/api/eval/" + low.text("eval_id") + "/cancel", "").json();
        assertThat(again.get("status").asString()).isEqualTo("completed");
        assertThat(again.get("message").asString()).contains("already in terminal state");
    }

    @Test
    void listsPageAndFilterTheHistory() {
        for (int i = 0; i < 3; i++) {
            api.post("/api/eval?wait=true", "{\"code\": \"print(" + i + ")\"}");
        }
        JsonNode page = api.get("/api/evaluations?limit=2&offset=0").json();
        assertThat(page.get("evaluations")).hasSize(2);
        assertThat(page.get("limit").asInt()).isEqualTo(2);
        assertThat(page.get("offset").asInt()).isZero();
        assertThat(page.get("has_more").asBoolean()).isTrue();
        assertThat(page.get("count").asLong()).isGreaterThanOrEqualTo(3);
        JsonNode first = page.get("evaluations").get(0);
        for (String field : List.of("eval_id", "status", "created_at", "code_preview", "success")) {
            assertThat(first.has(field)).as(field).isTrue();
        }
        JsonNode next = api.get("/api/evaluations?limit=2&offset=2").json();
        assertThat(next.get("evaluations").get(0).get("eval_id").asString())
                .isNotEqualTo(page.get("evaluations").get(1).get("eval_id").asString());

        JsonNode completed = api.get("/api/evaluations?status=completed&limit=1000").json();
        assertThat(completed.get("evaluations")).allMatch(n -> n.get("status").asString().equals("completed"));
        assertThat(completed.get("count").asLong()).isEqualTo(completed.get("evaluations").size());

        JsonNode stats = api.get("/api/statistics").json();
        assertThat(stats.get("total_evaluations").asLong()).isGreaterThanOrEqualTo(3);
        assertThat(stats.get("by_status").get("completed").asLong()).isGreaterThanOrEqualTo(3);
        assertThat(stats.get("by_language").get("python").asLong()).isGreaterThanOrEqualTo(3);
        assertThat(stats.get("average_runtime_ms").asDouble()).isPositive();
        assertThat(stats.get("p95_runtime_ms").asLong()).isPositive();
        assertThat(stats.has("last_24h_count")).isTrue();
    }

    @Test
    void healthSaysEverythingIsHealthy() {
        Api.Response health = api.get("/health");
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.text("status")).isEqualTo("healthy");
        assertThat(health.json().get("services").properties())
                .extracting(Map.Entry::getKey).containsExactly("database", "docker", "images", "runtime", "storage");
        health.json().get("services").properties().forEach(s -> assertThat(s.getValue().asString()).isEqualTo("healthy"));
        assertThat(api.get("/actuator/health").text("status")).isEqualTo("UP");
        JsonNode pool = health.json().get("pool");
        assertThat(pool.get("enabled").asBoolean()).isTrue();
        assertThat(pool.has("ready_by_shape")).isTrue();
        assertThat(health.json().get("sandbox_runtime").get("runc").toString()).contains("\"python\"");
    }

    @Test
    void theWorkersApiSaysWhatThisWorkersPoolHolds() {
        api.evaluate(Map.of("code", "print('asks the pool for its shape')"));
        await().atMost(Duration.ofSeconds(30)).until(() ->
                api.get("/api/workers").json().get("workers").get(0).path("pool_ready").asInt(0) > 0);
        JsonNode worker = api.get("/api/workers").json().get("workers").get(0);
        assertThat(worker.get("pool_handed_out").isNumber()).as(worker.toString()).isTrue();
    }

    @Test
    void aShapeRunBeforeFindsPreStartedContainersAndEachTakesOneRun() {
        // the first run of a shape asks the pool for it; the runs after it find containers ready
        api.evaluate(Map.of("code", "print('first')", "memory_limit", "96Mi"));
        await().atMost(Duration.ofSeconds(30)).until(() ->
                api.get("/health").json().get("pool").get("ready_by_shape").path("python/96m/1.0").asInt(0) > 0);
        long before = api.get("/health").json().get("pool").get("handed_out").asLong();
        JsonNode done = api.evaluate(Map.of("code", "import os\nprint(os.getcwd(), len(os.listdir('/code')))",
                "memory_limit", "96Mi"));
        assertThat(done.get("status").asString()).as(done.toString()).isEqualTo("completed");
        assertThat(done.get("output").asString()).isEqualTo("/code 2\n"); // the program and its stdin, nothing else
        assertThat(done.get("runtime_ms").asLong()).isBetween(1L, 5_000L);
        assertThat(done.get("cpu_time_ms").isNull()).isFalse();
        assertThat(done.get("image_digest").asString()).startsWith("sha256:");
        assertThat(api.get("/health").json().get("pool").get("handed_out").asLong()).isEqualTo(before + 1);
    }

    // ---- bad input: a clear 4xx, and nothing stored ----

    @Test
    void badInputGetsAClear4xxAndStoresNothing() {
        long before = total();
        assertDetail(api.post("/api/eval", "{\"code\": "), 400, "Malformed JSON");
        assertDetail(api.post("/api/eval", "not json at all"), 400, "Malformed JSON");
        assertValidation(api.post("/api/eval", "{\"invalid\": \"request\"}"), "code", "Field required");
        assertValidation(api.post("/api/eval", ""), null, "Field required");
        assertValidation(api.post("/api/eval", "[1, 2]"), null, "valid dictionary");
        assertValidation(api.post("/api/eval", "{\"code\": \"   \"}"), "code", "Code cannot be empty");
        assertValidation(api.submit(Map.of("code", "print(1)", "language", "cobol")), "language",
                "Language 'cobol' is not supported. Supported languages: c, cpp, go, java, node, node-module, python, python-science, rust");
        assertValidation(api.submit(Map.of("code", "print(1)", "timeout", 0)), "timeout", "between 1 and 300");
        assertValidation(api.submit(Map.of("code", "print(1)", "timeout", 301)), "timeout", "between 1 and 300");
        assertValidation(api.submit(Map.of("code", "print(1)", "timeout", "soon")), "timeout", "valid integer");
        assertValidation(api.submit(Map.of("code", "print(1)", "memory_limit", "lots")), "memory_limit", "quantity");
        assertValidation(api.submit(Map.of("code", "print(1)", "memory_limit", "64Gi")), "memory_limit", "between");
        assertValidation(api.submit(Map.of("code", "print(1)", "cpu_limit", "64")), "cpu_limit", "between");
        assertValidation(api.submit(Map.of("code", "print(1)", "priority", "urgent")), "priority", "valid integer");
        assertValidation(api.post("/api/eval", "null"), null, "valid dictionary");
        assertValidation(api.post("/api/eval", "{\"code\": \"print(1)\", \"timeout\": 30.7}"), "timeout", "valid integer");
        assertValidation(api.post("/api/eval", "{\"code\": \"print(1)\", \"timeout\": 99999999999999}"), "timeout", "valid integer");
        assertThat(api.post("/api/eval", "{\"code\": \"x\", \"deep\": " + "[".repeat(5000) + "]".repeat(5000) + "}").status())
                .isIn(400, 422);
        assertDetail(api.submit(Map.of("code", "x" + "#".repeat(1024 * 1024))), 413, "Code size exceeds maximum allowed size of 1048576 bytes");
        assertDetail(api.post("/api/eval", new byte[20 * 1024 * 1024]), 413, "Request body too large");

        assertDetail(api.get("/api/eval/20250101_000000_deadbeef"), 404, "Evaluation not found");
        assertDetail(api.get("/api/eval/not%20an%20id"), 404, "Evaluation not found");
        assertThat(api.get("/api/eval/..%2F..%2Fetc").status()).isBetween(400, 404);
        assertDetail(api.post("/api/eval/20250101_000000_deadbeef/cancel", ""), 404, "Evaluation not found");
        assertDetail(api.get("/api/eval/20250101_000000_deadbeef/logs"), 404, "Evaluation not found");
        // an error is JSON whatever the client said it accepts (an event stream's client, say)
        assertDetail(api.get("/api/eval/20250101_000000_deadbeef", "Accept", "text/csv"), 404, "Evaluation not found");
        assertDetail(api.get("/api/eval/20250101_000000_deadbeef/events", "Accept", "text/event-stream"), 404,
                "Evaluation not found");
        assertValidation(api.get("/api/evaluations?limit=0", "Accept", "text/event-stream"), "limit", "between 1 and 1000");
        assertValidation(api.get("/api/evaluations?limit=0"), "limit", "between 1 and 1000");
        assertValidation(api.get("/api/evaluations?limit=many"), "limit", "valid");
        assertValidation(api.get("/api/evaluations?status=exploded"), "status", "must be one of");
        assertThat(api.get("/api/no-such-thing").status()).isEqualTo(404);

        assertThat(total()).isEqualTo(before);
    }

    @Test
    void aClientThatForgetsTheContentTypeIsStillUnderstood() throws Exception {
        var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://localhost:" + port + "/api/eval?wait=true"))
                .header("Content-Type", "application/x-www-form-urlencoded") // what curl -d sends
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"code\": \"print('no header')\"}"))
                .build();
        var response = java.net.http.HttpClient.newHttpClient().send(request, java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(Api.JSON.readTree(response.body()).get("output").asString()).isEqualTo("no header\n");
    }

    @Test
    void codeOfOneMebibyteIsAccepted() {
        String code = "# " + "y".repeat(1024 * 1024 - 40) + "\nprint('big ok')\n";
        Api.Response r = api.submit(Map.of("code", code));
        assertThat(r.status()).isEqualTo(202);
        JsonNode done = awaitEnd(r.text("eval_id"));
        assertThat(done.get("stdout").asString()).isEqualTo("big ok\n");
    }

    private static void assertDetail(Api.Response r, int status, String detail) {
        assertThat(r.status()).as(r.toString()).isEqualTo(status);
        assertThat(r.json()).as(r.toString()).isNotNull();
        if (detail != null) {
            assertThat(r.text("detail")).contains(detail);
        }
    }

    private static void assertValidation(Api.Response r, String field, String message) {
        assertThat(r.status()).as(r.toString()).isEqualTo(422);
        JsonNode problem = r.json().get("detail").get(0);
        List<String> loc = new ArrayList<>();
        problem.get("loc").forEach(n -> loc.add(n.asString()));
        assertThat(loc.get(0)).isIn("body", "query");
        if (field != null) {
            assertThat(loc).as(r.toString()).hasSize(2).element(1).isEqualTo(field);
        }
        assertThat(problem.get("msg").asString()).as(r.toString()).contains(message);
        assertThat(problem.has("type")).isTrue();
    }
}
