package dev.crucible.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.asyncDispatch;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.multipart;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.crucible.evaluation.EvaluationService;
import dev.crucible.evaluation.Submission;
import dev.crucible.storage.StorageDirectory;
import dev.crucible.support.Archives;
import dev.crucible.support.TempStorageInitializer;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mock.web.MockMultipartFile;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.web.servlet.MockMvc;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Batches run for real: every script through the dispatcher into its own container. */
@Tag("docker")
@SpringBootTest(properties = {"crucible.worker.concurrency=2", "crucible.batch.poll-interval=200ms"})
@AutoConfigureMockMvc
@ContextConfiguration(initializers = TempStorageInitializer.class)
class BatchRunTest {

    static final JsonMapper JSON = JsonMapper.builder().build();

    @Autowired
    MockMvc mvc;

    @Autowired
    EvaluationService evaluations;

    @Autowired
    JdbcClient jdbc;

    @Value("${" + StorageDirectory.PROPERTY + "}")
    Path storage;

    JsonNode json(String body) {
        return JSON.readTree(body);
    }

    JsonNode upload(MockMultipartFile file, String... params) throws Exception {
        var request = multipart("/api/batches").file(file);
        for (int i = 0; i < params.length; i += 2) {
            request.param(params[i], params[i + 1]);
        }
        return json(mvc.perform(request).andExpect(status().isAccepted()).andReturn().getResponse().getContentAsString());
    }

    JsonNode batch(String id) throws Exception {
        return json(mvc.perform(get("/api/batches/" + id)).andExpect(status().isOk()).andReturn().getResponse().getContentAsString());
    }

    JsonNode awaitStatus(String id, String status, int seconds) throws Exception {
        await().atMost(Duration.ofSeconds(seconds)).pollInterval(Duration.ofMillis(250))
                .until(() -> batch(id).get("status").asString().equals(status));
        return batch(id).deepCopy();
    }

    List<CSVRecord> results(String id) throws Exception {
        var started = mvc.perform(get("/api/batches/" + id + "/results.csv")).andReturn();
        String csv = mvc.perform(asyncDispatch(started)).andExpect(status().isOk()).andReturn().getResponse()
                .getContentAsString(StandardCharsets.UTF_8);
        return CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(new StringReader(csv)).getRecords();
    }

    @Test
    void aFiveHundredScriptBatchRunsEveryScriptOnceAndASingleEvaluationIsNotStuckBehindIt() throws Exception {
        Map<String, String> files = new LinkedHashMap<>();
        StringBuilder manifest = new StringBuilder("file,language,stdin,timeout,expected_output\n");
        for (int i = 0; i < 500; i++) {
            String path = String.format("scripts/s%03d.py", i);
            files.put(path, i % 50 == 7 ? "raise SystemExit(" + (i % 5 + 1) + ")" : "print(" + i + " * " + i + ")");
            if (i % 100 == 0) {
                manifest.append(path).append(",,,,").append(i * i).append("\n"); // right
            } else if (i % 100 == 1) {
                manifest.append(path).append(",,,,").append("wrong").append("\n"); // wrong
            }
        }
        files.put("notes/README.md", "# not a program");
        files.put("manifest.csv", manifest.toString());
        JsonNode accepted = upload(new MockMultipartFile("file", "homework.zip", "application/zip", Archives.zip(files)),
                "name", "homework 3");
        String id = accepted.get("batch_id").asString();
        assertThat(accepted.get("total").asInt()).isEqualTo(500);
        assertThat(accepted.get("skipped").asInt()).isEqualTo(1);
        assertThat(accepted.get("status").asString()).isEqualTo("running");
        assertThat(accepted.get("name").asString()).isEqualTo("homework 3");

        // a single evaluation submitted right behind the batch
        await().atMost(Duration.ofSeconds(30)).until(() -> batch(id).get("running").asLong() > 0);
        String single = evaluations.submit(Submission.of("print('me first')", "python")).evaluation().id();
        await().atMost(Duration.ofSeconds(60)).until(() -> evaluations.get(single).status().isTerminal());
        Instant singleStarted = evaluations.get(single).startedAt();
        long batchStartedBefore = jdbc.sql("SELECT COUNT(*) FROM evaluation WHERE batch_id = :b AND started_at < :t")
                .param("b", id).param("t", singleStarted.atOffset(java.time.ZoneOffset.UTC)).query(Long.class).single();
        long batchQueuedWhenSubmitted = 500 - batchStartedBefore;
        // it took the next free slot: only the runs already under way (and at most a few more) went first
        assertThat(batchStartedBefore).as("batch scripts started before the single one").isLessThan(20);
        assertThat(batchQueuedWhenSubmitted).isGreaterThan(400);

        JsonNode done = awaitStatus(id, "completed", 600);
        assertThat(done.get("completed").asInt()).isEqualTo(490);
        assertThat(done.get("failed").asInt()).isEqualTo(10);
        assertThat(done.get("queued").asInt() + done.get("running").asInt()).isZero();
        assertThat(done.get("finished_at").isNull()).isFalse();
        assertThat(jdbc.sql("SELECT COUNT(*) FROM evaluation WHERE batch_id = :b").param("b", id).query(Long.class).single())
                .isEqualTo(500);

        List<CSVRecord> rows = results(id);
        assertThat(rows).hasSize(501);
        Map<String, CSVRecord> byFile = new LinkedHashMap<>();
        rows.forEach(r -> byFile.put(r.get("file"), r));
        assertThat(byFile.get("scripts/s012.py").get("output")).isEqualTo("144\n");
        assertThat(byFile.get("scripts/s012.py").get("status")).isEqualTo("completed");
        assertThat(Long.parseLong(byFile.get("scripts/s012.py").get("peak_memory_kb"))).isPositive();
        assertThat(byFile.get("scripts/s012.py").get("cpu_time_ms")).isNotEmpty();
        assertThat(byFile.get("notes/README.md").get("cpu_time_ms")).isEmpty();
        assertThat(byFile.get("scripts/s007.py").get("status")).isEqualTo("failed");
        assertThat(byFile.get("scripts/s007.py").get("exit_code")).isEqualTo("3");
        assertThat(byFile.get("scripts/s007.py").get("failure_reason")).isEqualTo("nonzero_exit");
        assertThat(byFile.get("scripts/s200.py").get("verdict")).isEqualTo("passed");
        assertThat(byFile.get("scripts/s201.py").get("verdict")).isEqualTo("wrong_answer");
        assertThat(byFile.get("scripts/s202.py").get("verdict")).isEmpty();
        assertThat(byFile.get("notes/README.md").get("status")).isEqualTo("skipped");
        assertThat(rows.stream().filter(r -> r.get("status").equals("completed")).map(r -> r.get("eval_id")).distinct().count())
                .isEqualTo(490);

        // the third step stored the report in the batch's folder
        Path folder = storage.resolve("batches").resolve(id);
        assertThat(Files.readString(folder.resolve("results.csv"))).startsWith("\"file\",\"eval_id\",\"status\",\"exit_code\"");
        assertThat(json(Files.readString(folder.resolve("summary.json"))).get("completed").asInt()).isEqualTo(490);
    }

    @Test
    void manyFilesInOneUploadAndTarGzArchivesWork() throws Exception {
        JsonNode accepted = json(mvc.perform(multipart("/api/batches")
                        .file(new MockMultipartFile("files", "a.py", "text/x-python", "print('a')".getBytes()))
                        .file(new MockMultipartFile("files", "b.js", "text/javascript", "console.log('b')".getBytes()))
                        .file(new MockMultipartFile("files", "c.mjs", "text/javascript",
                                "import { EOL } from 'node:os'; process.stdout.write('c' + EOL)".getBytes()))
                        .file(new MockMultipartFile("files", "notes.txt", "text/plain", "hello".getBytes())))
                .andExpect(status().isAccepted()).andReturn().getResponse().getContentAsString());
        String id = accepted.get("batch_id").asString();
        assertThat(accepted.get("total").asInt()).isEqualTo(3);
        awaitStatus(id, "completed", 120);
        Map<String, String> outputs = new LinkedHashMap<>();
        results(id).forEach(r -> outputs.put(r.get("file"), r.get("output")));
        assertThat(outputs).containsEntry("a.py", "a\n").containsEntry("b.js", "b\n").containsEntry("c.mjs", "c\n");

        JsonNode tar = upload(new MockMultipartFile("file", "t.tar.gz", "application/gzip",
                Archives.tarGz(Archives.files("x/y.py", "print('tar')", "manifest.json",
                        "[{\"file\": \"x/y.py\", \"stdin\": \"\", \"expected_output\": \"tar\"}]"))));
        awaitStatus(tar.get("batch_id").asString(), "completed", 120);
        assertThat(results(tar.get("batch_id").asString()).get(0).get("verdict")).isEqualTo("passed");
    }

    @Test
    void manifestEntriesTakeArgsTestCasesCompareModesAndFilesBesideThem() throws Exception {
        String manifest = """
                [{"file": "sq/main.c", "test_cases": [{"name": "two", "stdin": "2", "expected_output": "4"},
                                                      {"name": "three", "stdin": "3", "expected_output": "10"}]},
                 {"file": "py/main.py", "args": ["a b", "$(id)"], "files": ["py/helper.py", "py/data/n.txt"]},
                 {"file": "num.py", "expected_output": "0.3333", "compare_mode": "numeric", "tolerance": 0.001},
                 {"file": "Hello.java"}]
                """;
        JsonNode accepted = upload(new MockMultipartFile("file", "settings.zip", "application/zip", Archives.zip(Archives.files(
                "manifest.json", manifest,
                "sq/main.c", "#include <stdio.h>\nint main(void) { int n; scanf(\"%d\", &n); printf(\"%d\\n\", n * n); }\n",
                "py/main.py", "import sys\nfrom helper import shout\nprint(shout(sys.argv[1:]), open('data/n.txt').read())",
                "py/helper.py", "def shout(words):\n    return '|'.join(words).upper()\n",
                "py/data/n.txt", "42",
                "num.py", "print(1 / 3)",
                "Hello.java", "public class Hello { public static void main(String[] a) { System.out.println(\"hi\"); } }"))));
        String id = accepted.get("batch_id").asString();
        // the helper and the data file are beside main.py, not programs of their own
        assertThat(accepted.get("total").asInt()).isEqualTo(4);
        awaitStatus(id, "completed", 120);
        Map<String, CSVRecord> rows = new LinkedHashMap<>();
        results(id).forEach(r -> rows.put(r.get("file"), r));
        assertThat(rows.keySet()).contains("sq/main.c", "py/main.py", "num.py", "Hello.java");

        CSVRecord squares = rows.get("sq/main.c");
        assertThat(squares.get("status")).as(squares.toString()).isEqualTo("completed");
        assertThat(squares.get("verdict")).isEqualTo("wrong_answer");
        assertThat(squares.get("tests_passed")).isEqualTo("1");
        assertThat(squares.get("tests_total")).isEqualTo("2");
        assertThat(rows.get("py/main.py").get("output")).as(rows.get("py/main.py").toString()).isEqualTo("A B|$(ID) 42\n");
        assertThat(rows.get("num.py").get("verdict")).isEqualTo("passed");
        assertThat(rows.get("Hello.java").get("output")).isEqualTo("hi\n");
        assertThat(rows.get("py/helper.py").get("status")).isEqualTo("skipped");
        assertThat(rows.get("py/helper.py").get("failure_reason")).isEqualTo("beside py/main.py");

        // a bad setting is refused at upload, naming the entry
        var refused = mvc.perform(multipart("/api/batches").file(new MockMultipartFile("file", "bad.zip", "application/zip",
                Archives.zip(Archives.files("manifest.json", "[{\"file\": \"a.py\", \"args\": [1]}]", "a.py", "print(1)")))))
                .andReturn().getResponse();
        assertThat(refused.getStatus()).isEqualTo(422);
        assertThat(refused.getContentAsString()).contains("a.py").contains("args[0]");
        var outside = mvc.perform(multipart("/api/batches").file(new MockMultipartFile("file", "out.zip", "application/zip",
                Archives.zip(Archives.files("manifest.json", "[{\"file\": \"a/a.py\", \"files\": [\"b.py\"]}]",
                        "a/a.py", "print(1)", "b.py", "x = 1")))))
                .andReturn().getResponse();
        assertThat(outside.getStatus()).isEqualTo(422);
        assertThat(outside.getContentAsString()).contains("in its folder or below");
    }

    @Test
    void aBatchIsCancelledWithEverythingItStillHad() throws Exception {
        Map<String, String> sleepers = new LinkedHashMap<>();
        for (int i = 0; i < 8; i++) {
            sleepers.put("sleep" + i + ".py", "import time\ntime.sleep(60)");
        }
        String id = upload(new MockMultipartFile("file", "sleepers.zip", "application/zip", Archives.zip(sleepers)),
                "timeout", "90").get("batch_id").asString();
        await().atMost(Duration.ofSeconds(30)).until(() -> batch(id).get("running").asLong() > 0);
        mvc.perform(post("/api/batches/" + id + "/cancel")).andExpect(status().isOk());
        JsonNode cancelled = batch(id);
        assertThat(cancelled.get("status").asString()).isEqualTo("cancelled");
        await().atMost(Duration.ofSeconds(30)).until(() -> batch(id).get("cancelled").asInt() == 8);
        mvc.perform(post("/api/batches/" + id + "/cancel")).andExpect(status().isConflict());
        mvc.perform(post("/api/batches/" + id + "/restart")).andExpect(status().isConflict());
        mvc.perform(get("/api/batches/batch_nope")).andExpect(status().isNotFound());
    }

    @Test
    void theOriginalsJsonBatchFormQueuesEachEvaluationOnItsOwn() throws Exception {
        String body = """
                {"evaluations": [
                  {"code": "print('one')"},
                  {"code": "print(2)", "language": "cobol"},
                  {"code": "console.log('three')", "language": "javascript", "priority": true}
                ]}""";
        var started = mvc.perform(post("/api/eval-batch").contentType(MediaType.APPLICATION_JSON).content(body)).andReturn();
        JsonNode answer = json(started.getResponse().getContentAsString());
        assertThat(started.getResponse().getStatus()).isEqualTo(202);
        assertThat(answer.get("total").asInt()).isEqualTo(3);
        assertThat(answer.get("queued").asInt()).isEqualTo(2);
        assertThat(answer.get("failed").asInt()).isEqualTo(1);
        assertThat(answer.get("evaluations").get(1).get("status").asString()).isEqualTo("failed");
        assertThat(answer.get("evaluations").get(1).get("message").asString()).contains("cobol");
        String first = answer.get("evaluations").get(0).get("eval_id").asString();
        await().atMost(Duration.ofSeconds(60)).until(() -> evaluations.get(first).status().isTerminal());
        assertThat(evaluations.get(first).output()).isEqualTo("one\n");
        awaitStatus(answer.get("batch_id").asString(), "completed", 60);
        JsonNode badPriority = json(mvc.perform(post("/api/eval-batch").contentType(MediaType.APPLICATION_JSON)
                .content("{\"evaluations\": [{\"code\": \"print(1)\", \"priority\": \"urgent\"}]}"))
                .andReturn().getResponse().getContentAsString());
        assertThat(badPriority.get("failed").asInt()).isEqualTo(1);
        assertThat(badPriority.get("evaluations").get(0).get("message").asString()).contains("valid integer");
        mvc.perform(post("/api/eval-batch").contentType(MediaType.APPLICATION_JSON).content("{\"evaluations\": []}"))
                .andExpect(status().isUnprocessableContent());
        mvc.perform(post("/api/eval-batch").contentType(MediaType.APPLICATION_JSON).content("{}"))
                .andExpect(status().isUnprocessableContent());
    }
}
