package dev.crucible.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import com.zaxxer.hikari.HikariDataSource;
import dev.crucible.support.Api;
import dev.crucible.support.EventStreamClient;
import dev.crucible.support.PlatformProcess;
import dev.crucible.support.TempStorage;
import dev.crucible.support.TestPostgres;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * One api process and two worker processes (separate JVMs, the packaged jar) on one real
 * PostgreSQL: submissions to the api run on the workers, each exactly once; a worker killed with
 * SIGKILL mid-run is marked dead and its evaluations are finished by the other.
 */
@Tag("docker")
@Tag("postgres")
class MultiProcessIT {

    static final List<String> SHARED = List.of("crucible.dispatch.heartbeat-interval=1s", "crucible.dispatch.dead-after=6s",
            "crucible.dispatch.poll-interval=200ms", "crucible.worker.concurrency=2", "crucible.images.pull-policy=never");

    /** The workers' memory budget; the api, on a host with far more memory, must judge by it. */
    static final String WORKER_BUDGET = "600MB";

    static PlatformProcess node(String database, String role) {
        List<String> settings = new ArrayList<>(SHARED);
        settings.add("crucible.role=" + role);
        if (role.equals("worker")) {
            settings.add("crucible.worker.memory-budget=" + WORKER_BUDGET);
        }
        settings.add("spring.datasource.url=" + database);
        settings.add("spring.datasource.username=" + TestPostgres.USER);
        settings.add("spring.datasource.password=" + TestPostgres.PASSWORD);
        return new PlatformProcess(TempStorage.create("node-" + role), settings.toArray(String[]::new));
    }

    static JsonNode workers(Api api) {
        return api.get("/api/workers").json().get("workers");
    }

    static Map<String, String> workerStates(Api api) {
        Map<String, String> states = new java.util.HashMap<>();
        workers(api).forEach(w -> states.put(w.get("id").asString(), w.get("state").asString()));
        return states;
    }

    /**
     * The program prints the wall-clock time of each line; the client notes when the line reached
     * it through the api node, so each line's lag is known (same host, same clock).
     */
    static void liveOutputReachesTheApiNodeWhileTheProgramRuns(PlatformProcess api) {
        Api client = api.api();
        String id = client.post("/api/eval", """
                {"code": "import time\\nfor i in range(8):\\n    print(i, int(time.time() * 1000), flush=True)\\n    time.sleep(0.2)\\n"}
                """).text("eval_id");
        List<Long> lags = new ArrayList<>();
        List<String> statusAtThird = new ArrayList<>();
        EventStreamClient.Stream stream = EventStreamClient.read(client.base(), "/api/eval/" + id + "/events", null, null,
                event -> {
                    if (event.name().equals("output")) {
                        long now = System.currentTimeMillis();
                        for (String line : event.json().get("text").asString().split("\n")) {
                            lags.add(now - Long.parseLong(line.split(" ")[1]));
                            if (line.startsWith("2 ")) {
                                statusAtThird.add(client.get("/api/eval/" + id).text("status"));
                            }
                        }
                    }
                }, events -> false, Duration.ofSeconds(60));
        assertThat(statusAtThird).as("status when the third line reached the api node").containsExactly("running");
        StringBuilder text = new StringBuilder();
        stream.named("output").forEach(e -> text.append(e.json().get("text").asString()));
        assertThat(text.toString()).isEqualTo(client.get("/api/eval/" + id).text("output"));
        System.out.printf("MultiProcessIT: live output lag from the worker's program to the api node's client, per line: %s ms%n", lags);
        // generous: a defect (no relay, polling only at the end) shows as the whole run's length
        assertThat(lags.subList(0, 4)).allMatch(lag -> lag < 1500);
    }

    @Test
    void anApiAndTwoWorkersShareOneQueueAndADeadWorkersWorkIsFinishedByTheOther() throws Exception {
        String database = TestPostgres.createDatabase("multi");
        HikariDataSource direct = TestPostgres.dataSource(database);
        try (PlatformProcess api = node(database, "api").start();
                PlatformProcess worker1 = node(database, "worker").start();
                PlatformProcess worker2 = node(database, "worker").start()) {
            Api client = api.api();
            JdbcClient jdbc = JdbcClient.create(direct);

            // a worker answers health only; the api node runs nothing and needs no Docker daemon
            assertThat(worker1.api().get("/health").status()).isEqualTo(200);
            assertThat(worker1.api().get("/api/queue/status").status()).isEqualTo(404);
            // ... and its metrics: its own slots, the shared queue's depth
            Api.Response scraped = worker1.api().get("/actuator/prometheus");
            assertThat(scraped.status()).isEqualTo(200);
            assertThat(scraped.raw().body()).contains("crucible_worker_slots 2.0").contains("crucible_queue_depth{lane=\"interactive\"}");
            assertThat(client.get("/actuator/prometheus").raw().body()).doesNotContain("crucible_worker_slots");
            assertThat(client.get("/health").status()).isEqualTo(200);
            assertThat(client.get("/health").json().get("services").has("docker")).isFalse();
            await().atMost(Duration.ofSeconds(30)).until(() -> workerStates(client).values().stream()
                    .filter("running"::equals).count() == 2);

            // the api refuses at once what no worker could ever start (its own host's memory does not count)
            Api.Response tooBig = client.post("/api/eval", "{\"code\": \"print(1)\", \"memory_limit\": \"1Gi\"}");
            assertThat(tooBig.status()).as(tooBig.toString()).isEqualTo(422);
            assertThat(tooBig.raw().body()).contains("memory budget of 600Mi");
            Api.Response fits = client.post("/api/eval?wait=true", "{\"code\": \"print(1)\", \"memory_limit\": \"512Mi\"}");
            assertThat(fits.text("status")).as(fits.toString()).isEqualTo("completed");
            jdbc.sql("DELETE FROM evaluation").update();

            // submissions to the api run on the workers, each started exactly once
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                Api.Response r = client.post("/api/eval", "{\"code\": \"print(" + i + ")\"}");
                assertThat(r.status()).as(r.toString()).isEqualTo(202);
                ids.add(r.text("eval_id"));
            }
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250)).until(() ->
                    jdbc.sql("SELECT COUNT(*) FROM evaluation WHERE status = 'completed'").query(Long.class).single() == 60);
            for (int i = 0; i < ids.size(); i++) {
                JsonNode e = client.get("/api/eval/" + ids.get(i)).json();
                assertThat(e.get("output").asString()).isEqualTo(i + "\n");
                assertThat(e.get("attempts").asInt()).as("started once").isEqualTo(1);
            }
            Map<String, Long> byWorker = jdbc.sql("SELECT worker_id, COUNT(*) FROM evaluation GROUP BY worker_id")
                    .query((rs, n) -> Map.entry(rs.getString(1), rs.getLong(2))).list().stream()
                    .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
            assertThat(byWorker).hasSize(2);
            long done = 0;
            for (JsonNode w : workers(client)) {
                done += w.get("evaluations_done").asLong();
                assertThat(w.get("slots").asInt()).isEqualTo(2);
                assertThat(w.get("docker_version").asString()).isNotBlank();
                assertThat(w.get("images").toString()).contains("crucible-runtime/python:3.11");
            }
            assertThat(done).isEqualTo(60);

            // drain a worker: it claims nothing more (and finishes what it runs); resume it
            String drained = workerStates(client).keySet().stream().filter(id -> id.contains("-" + worker1.pid() + "-"))
                    .findFirst().orElseThrow();
            assertThat(client.post("/api/workers/" + drained + "/drain", "").status()).isEqualTo(200);
            assertThat(client.post("/api/workers/no-such-worker/drain", "").status()).isEqualTo(404);
            await().atMost(Duration.ofSeconds(10)).until(() -> "draining".equals(workerStates(client).get(drained)));
            await().atMost(Duration.ofSeconds(10)).until(() -> worker1.log().contains("Draining: no new claims"));
            List<String> whileDrained = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                whileDrained.add(client.post("/api/eval", "{\"code\": \"print('drained')\"}").text("eval_id"));
            }
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(() -> whileDrained.stream()
                    .allMatch(id -> "completed".equals(client.get("/api/eval/" + id).text("status"))));
            assertThat(jdbc.sql("SELECT COUNT(*) FROM evaluation WHERE id IN (:ids) AND worker_id = :w")
                    .param("ids", whileDrained).param("w", drained).query(Long.class).single()).isZero();
            assertThat(client.post("/api/workers/" + drained + "/resume", "").status()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(10)).until(() -> "running".equals(workerStates(client).get(drained)));

            // live output crosses nodes: a worker writes it to the database, the api streams it
            liveOutputReachesTheApiNodeWhileTheProgramRuns(api);

            // kill -9 a worker while it runs: its evaluations finish on the other one
            List<String> slow = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                slow.add(client.post("/api/eval", "{\"code\": \"import time; time.sleep(4); print('slow')\"}").text("eval_id"));
            }
            // worker ids are "host-pid-random": the second worker's is the one with its pid
            String victimId = workerStates(client).keySet().stream().filter(id -> id.contains("-" + worker2.pid() + "-"))
                    .findFirst().orElseThrow();
            await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.sql(
                    "SELECT COUNT(*) FROM evaluation WHERE status = 'running' AND worker_id = :w").param("w", victimId)
                    .query(Long.class).single() > 0);
            PlatformProcess killed = worker2;
            killed.kill9();
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() ->
                    slow.stream().allMatch(id -> "completed".equals(client.get("/api/eval/" + id).text("status"))));
            for (String id : slow) {
                assertThat(client.get("/api/eval/" + id).text("output")).isEqualTo("slow\n");
            }
            assertThat(jdbc.sql("SELECT COUNT(*) FROM evaluation WHERE attempts = 2").query(Long.class).single()).isPositive();
            await().atMost(Duration.ofSeconds(30)).until(() -> "dead".equals(workerStates(client).get(victimId)));
        } finally {
            direct.close();
            TestPostgres.dropDatabase(database);
        }
    }
}
