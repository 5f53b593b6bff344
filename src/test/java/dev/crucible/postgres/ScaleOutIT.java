package dev.crucible.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Event;
import com.github.dockerjava.api.model.EventType;
import com.zaxxer.hikari.HikariDataSource;
import dev.crucible.sandbox.SandboxLabels;
import dev.crucible.support.Api;
import dev.crucible.support.PlatformProcess;
import dev.crucible.support.TempStorage;
import dev.crucible.support.TestDocker;
import dev.crucible.support.TestPostgres;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * One api process and three worker processes (separate JVMs) on one real PostgreSQL. Every
 * container start of this installation is counted from the Docker daemon's own event stream, by
 * the evaluation it ran for. 300 submissions each start exactly once and every result is visible
 * from the api. Then PostgreSQL is stopped for 10 s under load and started again: submissions
 * meanwhile get a clear 503, every process carries on without a restart, every accepted
 * evaluation ends, and none starts twice unless it was running when the database went away.
 */
@Tag("docker")
@Tag("postgres")
class ScaleOutIT {

    static final int SUBMISSIONS = 300;
    static final int UNDER_OUTAGE = 24;

    static PlatformProcess node(String database, String role) {
        return new PlatformProcess(TempStorage.create("scale-" + role), "crucible.role=" + role,
                "spring.datasource.url=" + database, "spring.datasource.username=" + TestPostgres.USER,
                "spring.datasource.password=" + TestPostgres.PASSWORD, "crucible.dispatch.heartbeat-interval=1s",
                "crucible.dispatch.dead-after=30s", "crucible.worker.concurrency=2", "crucible.images.pull-policy=never");
    }

    @Test
    void threeWorkersStartEachOfThreeHundredSubmissionsOnceAndEveryProcessRidesOutADatabaseOutage() throws Exception {
        String database = TestPostgres.createDatabase("scale");
        HikariDataSource direct = TestPostgres.dataSource(database);
        Map<String, AtomicInteger> starts = new ConcurrentHashMap<>();
        try (PlatformProcess api = node(database, "api").start();
                PlatformProcess worker1 = node(database, "worker").start();
                PlatformProcess worker2 = node(database, "worker").start();
                PlatformProcess worker3 = node(database, "worker").start();
                ResultCallback.Adapter<Event> events = countStarts(JdbcClient.create(direct), starts)) {
            Api client = api.api();
            JdbcClient jdbc = JdbcClient.create(direct);
            await().atMost(Duration.ofSeconds(30)).until(() -> MultiProcessIT.workerStates(client).values().stream()
                    .filter("running"::equals).count() == 3);

            List<String> ids = new ArrayList<>();
            for (int i = 0; i < SUBMISSIONS; i++) {
                Api.Response r = client.post("/api/eval", "{\"code\": \"print(" + i + ")\"}");
                assertThat(r.status()).as(r.toString()).isEqualTo(202);
                ids.add(r.text("eval_id"));
            }
            await().atMost(Duration.ofSeconds(300)).pollInterval(Duration.ofMillis(500)).until(() ->
                    jdbc.sql("SELECT COUNT(*) FROM evaluation WHERE status = 'completed'").query(Long.class).single() == SUBMISSIONS);
            for (int i = 0; i < ids.size(); i++) {
                Api.Response e = client.get("/api/eval/" + ids.get(i));
                assertThat(e.text("output")).as(ids.get(i)).isEqualTo(i + "\n");
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> starts.size() == SUBMISSIONS);
            assertThat(starts.keySet()).containsExactlyInAnyOrderElementsOf(ids);
            assertThat(starts.values()).extracting(AtomicInteger::get).as("container starts per evaluation").containsOnly(1);
            assertThat(jdbc.sql("SELECT COUNT(DISTINCT worker_id) FROM evaluation").query(Long.class).single())
                    .as("all three workers ran some").isEqualTo(3);

            // PostgreSQL goes away for 10 s while evaluations run and wait
            List<String> loaded = new ArrayList<>();
            for (int i = 0; i < UNDER_OUTAGE; i++) {
                loaded.add(client.post("/api/eval", "{\"code\": \"import time; time.sleep(2); print('o" + i + "')\"}")
                        .text("eval_id"));
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.sql("SELECT COUNT(*) FROM evaluation WHERE status = 'running'")
                    .query(Long.class).single() >= 3);
            Set<String> runningAtOutage = Set.copyOf(jdbc.sql("SELECT id FROM evaluation WHERE status = 'running'")
                    .query(String.class).list());
            long stoppedAt = System.nanoTime();
            TestPostgres.stopServer();
            try {
                long asked = System.nanoTime();
                Api.Response refused = client.post("/api/eval", "{\"code\": \"print('during')\"}");
                long answeredMs = (System.nanoTime() - asked) / 1_000_000;
                assertThat(refused.status()).as(refused.toString()).isEqualTo(503);
                assertThat(refused.raw().body()).contains("database");
                assertThat(refused.header("Retry-After")).isNotBlank();
                assertThat(answeredMs).as("a clear answer, not a hang").isLessThan(15_000);
                // seconds later too, when even the API key check in front of the controller asks the database
                Thread.sleep(3000);
                Api.Response later = client.post("/api/eval", "{\"code\": \"print('during')\"}");
                assertThat(later.status()).as(later.toString()).isEqualTo(503);
                assertThat(later.header("Retry-After")).isNotBlank();
                assertThat(client.get("/api/queue/status").status()).isEqualTo(503);
                long left = 10_000 - (System.nanoTime() - stoppedAt) / 1_000_000;
                if (left > 0) {
                    Thread.sleep(left);
                }
            } finally {
                TestPostgres.startServer();
            }

            // every process recovers by itself: the accepted work ends, new work runs
            try {
                await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(500)).ignoreExceptions().until(() ->
                        loaded.stream().allMatch(id -> "completed".equals(client.get("/api/eval/" + id).text("status"))));
            } catch (org.awaitility.core.ConditionTimeoutException stuck) {
                // what each process was doing and what the database holds, for whoever reads the failure
                for (PlatformProcess p : List.of(api, worker1, worker2, worker3)) {
                    System.out.println("ScaleOutIT: threads of " + p.pid() + " in " + p.threadDump());
                    System.out.println("ScaleOutIT: health of " + p.pid() + ": " + p.api().get("/health").raw().body());
                }
                System.out.println("ScaleOutIT: evaluations by status and worker: " + jdbc.sql(
                        "SELECT status, worker_id, COUNT(*) AS n FROM evaluation GROUP BY status, worker_id").query().listOfRows());
                System.out.println("ScaleOutIT: sessions: " + jdbc.sql("""
                        SELECT pid, state, xact_start, left(query, 200) AS query FROM pg_stat_activity
                        WHERE datname = current_database() AND pid <> pg_backend_pid()
                        """).query().listOfRows());
                System.out.println("ScaleOutIT: locks: " + jdbc.sql("""
                        SELECT l.pid, l.mode, l.granted, c.relname FROM pg_locks l LEFT JOIN pg_class c ON c.oid = l.relation
                        WHERE l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
                        """).query().listOfRows());
                throw stuck;
            }
            Api.Response after = client.post("/api/eval?wait=true", "{\"code\": \"print('after')\"}");
            assertThat(after.text("output")).as(after.toString()).isEqualTo("after\n");
            for (PlatformProcess p : List.of(api, worker1, worker2, worker3)) {
                assertThat(ProcessHandle.of(p.pid()).map(ProcessHandle::isAlive)).as("not restarted").contains(true);
            }
            for (String id : loaded) {
                int started = starts.getOrDefault(id, new AtomicInteger()).get();
                assertThat(started).as("starts of " + id).isBetween(1, runningAtOutage.contains(id) ? 2 : 1);
            }
            System.out.printf("ScaleOutIT: %d of %d running at the outage started twice%n",
                    loaded.stream().filter(id -> starts.get(id).get() > 1).count(), runningAtOutage.size());
            await().atMost(Duration.ofSeconds(30)).until(() -> MultiProcessIT.workerStates(client).values().stream()
                    .filter("running"::equals).count() == 3);
            // the api's queue status and statistics count every worker's work
            long total = SUBMISSIONS + UNDER_OUTAGE + 1;
            var statistics = client.get("/api/statistics").json();
            assertThat(statistics.get("total_evaluations").asLong()).isEqualTo(total);
            assertThat(statistics.get("by_status").get("completed").asLong()).isEqualTo(total);
            var queue = client.get("/api/queue/status").json();
            assertThat(queue.get("queued").asLong() + queue.get("processing").asLong()).isZero();
        } finally {
            direct.close();
            TestPostgres.dropDatabase(database);
        }
    }

    /** Counts container starts of this test's installation, by evaluation, as the daemon reports them. */
    static ResultCallback.Adapter<Event> countStarts(JdbcClient jdbc, Map<String, AtomicInteger> starts) throws InterruptedException {
        String installation = await().atMost(Duration.ofSeconds(30)).until(
                () -> jdbc.sql("SELECT id FROM installation").query(String.class).optional().orElse(null), id -> id != null);
        ResultCallback.Adapter<Event> callback = new ResultCallback.Adapter<>() {
            @Override
            public void onNext(Event event) {
                Map<String, String> attributes = event.getActor() == null ? Map.of() : event.getActor().getAttributes();
                // a fresh container starts with its evaluation's label; a pooled one, started ahead,
                // is renamed after the evaluation it takes: either happens once per evaluation run
                String evalId = "start".equals(event.getAction()) ? attributes.get(SandboxLabels.EVAL_ID)
                        : evalOfName(attributes.getOrDefault("name", ""));
                if (evalId != null) {
                    starts.computeIfAbsent(evalId, k -> new AtomicInteger()).incrementAndGet();
                }
            }
        };
        TestDocker.client().eventsCmd().withEventTypeFilter(EventType.CONTAINER).withEventFilter("start", "rename")
                .withLabelFilter(Map.of(SandboxLabels.INSTALLATION, installation)).exec(callback);
        callback.awaitStarted();
        return callback;
    }

    static String evalOfName(String name) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("-eval-(.+)$").matcher(name.replaceFirst("^/", ""));
        return m.find() ? m.group(1) : null;
    }
}
