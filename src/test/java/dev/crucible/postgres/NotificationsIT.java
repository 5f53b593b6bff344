package dev.crucible.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;

import dev.crucible.support.Api;
import dev.crucible.support.PlatformProcess;
import dev.crucible.support.TempStorage;
import dev.crucible.support.TestPostgres;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Cross-node signals on PostgreSQL (LISTEN/NOTIFY): an api process and a worker process whose
 * polls are a minute apart, so only a signal can make them act within seconds. A submission to
 * the api reaches the idle worker, {@code ?wait=true} on the api answers when the worker records
 * the end, and a cancel on the api reaches the worker running the evaluation.
 */
@Tag("docker")
@Tag("postgres")
class NotificationsIT {

    /** Far beyond the bounds below: without a signal nothing would happen within them. */
    static final List<String> SLOW_POLLS = List.of("crucible.dispatch.poll-interval=60s",
            "crucible.dispatch.heartbeat-interval=30s", "crucible.dispatch.dead-after=120s",
            "crucible.images.pull-policy=never");

    static PlatformProcess node(String database, String role) {
        List<String> settings = new java.util.ArrayList<>(SLOW_POLLS);
        settings.add("crucible.role=" + role);
        settings.add("spring.datasource.url=" + database);
        settings.add("spring.datasource.username=" + TestPostgres.USER);
        settings.add("spring.datasource.password=" + TestPostgres.PASSWORD);
        return new PlatformProcess(TempStorage.create("signals-" + role), settings.toArray(String[]::new));
    }

    @Test
    void submissionsEndsAndCancelsCrossFromTheApiToTheWorkerAndBackWithinSeconds() throws Exception {
        String database = TestPostgres.createDatabase("signals");
        try (PlatformProcess api = node(database, "api").start(); PlatformProcess worker = node(database, "worker").start()) {
            Api client = api.api();
            await().atMost(Duration.ofSeconds(30)).until(() -> client.get("/api/workers").json().get("workers").size() == 1);
            // let the worker's first look at the queue pass: from now on it is idle for a minute
            Thread.sleep(2000);

            long started = System.nanoTime();
            Api.Response waited = client.post("/api/eval?wait=true", "{\"code\": \"print('signalled')\"}");
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            assertThat(waited.status()).as(waited.toString()).isEqualTo(200);
            assertThat(waited.text("status")).isEqualTo("completed");
            assertThat(waited.text("output")).isEqualTo("signalled\n");
            assertThat(took).as("submit, claim on the worker, run, end back on the api").isLessThan(Duration.ofSeconds(20));

            // a cancel on the api reaches the worker that runs the evaluation
            String slow = client.post("/api/eval", "{\"code\": \"import time; time.sleep(120)\", \"timeout\": 150}")
                    .text("eval_id");
            await().atMost(Duration.ofSeconds(20)).until(() -> "running".equals(client.get("/api/eval/" + slow).text("status")));
            Thread.sleep(1000);
            long cancelAt = System.nanoTime();
            assertThat(client.post("/api/eval/" + slow + "/cancel", "").status()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100))
                    .until(() -> "cancelled".equals(client.get("/api/eval/" + slow).text("status")));
            Duration cancelTook = Duration.ofNanos(System.nanoTime() - cancelAt);
            JsonNode cancelled = client.get("/api/eval/" + slow).json();
            assertThat(cancelled.get("runtime_ms").asLong()).as("the container was stopped, not left to run")
                    .isLessThan(60_000);
            System.out.printf("NotificationsIT: wait=true answered in %d ms; cancel reached the worker in %d ms%n",
                    took.toMillis(), cancelTook.toMillis());
        } finally {
            TestPostgres.dropDatabase(database);
        }
    }
}
