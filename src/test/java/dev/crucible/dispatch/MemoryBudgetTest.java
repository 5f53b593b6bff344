package dev.crucible.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import dev.crucible.support.Api;
import dev.crucible.support.TempStorageInitializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ContextConfiguration;
import tools.jackson.databind.JsonNode;

/**
 * The memory budget: the dispatcher never starts a run whose memory limit would take the sum of
 * running limits over {@code crucible.worker.memory-budget}; such work waits in the queue. The
 * check is structural (which runs overlapped), not timed.
 */
@Tag("docker")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"crucible.worker.concurrency=4", "crucible.worker.memory-budget=300MB",
                "crucible.images.pull-policy=never"})
@ContextConfiguration(initializers = TempStorageInitializer.class)
class MemoryBudgetTest {

    static final String SLEEPER = "{\"code\": \"import time; time.sleep(1.5)\", \"memory_limit\": \"%s\"}";

    @LocalServerPort
    int port;

    record Run(Instant started, Instant completed) {
    }

    List<Run> runAll(Api api, String memory, int n) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Api.Response r = api.post("/api/eval", SLEEPER.formatted(memory));
            assertThat(r.status()).as(r.toString()).isEqualTo(202);
            ids.add(r.text("eval_id"));
        }
        List<Run> runs = new ArrayList<>();
        for (String id : ids) {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                    .until(() -> "completed".equals(api.get("/api/eval/" + id).text("status")));
            JsonNode e = api.get("/api/eval/" + id).json();
            runs.add(new Run(Instant.parse(e.get("started_at").asString()), Instant.parse(e.get("completed_at").asString())));
        }
        runs.sort(Comparator.comparing(Run::started));
        return runs;
    }

    static int mostAtOnce(List<Run> runs) {
        int most = 0;
        for (Run r : runs) {
            most = Math.max(most, (int) runs.stream()
                    .filter(o -> !o.started().isAfter(r.started()) && o.completed().isAfter(r.started())).count());
        }
        return most;
    }

    @Test
    void runsThatWouldExceedTheBudgetWaitTheirTurn() {
        Api api = new Api("http://localhost:" + port);
        // 200 MiB each: two would need 400 of the 300 MiB budget, so they run one at a time
        assertThat(mostAtOnce(runAll(api, "200Mi", 3))).isEqualTo(1);
        // 100 MiB each: three fit, the fourth slot stays empty
        assertThat(mostAtOnce(runAll(api, "100Mi", 4))).isBetween(2, 3);
    }

    @Test
    void anEvaluationLargerThanTheWholeBudgetIsRefusedAtOnce() {
        Api api = new Api("http://localhost:" + port);
        Api.Response r = api.post("/api/eval", SLEEPER.formatted("400Mi"));
        assertThat(r.status()).as(r.toString()).isEqualTo(422);
        assertThat(r.json().get("detail").get(0).get("loc").get(1).asString()).isEqualTo("memory_limit");
        assertThat(r.json().get("detail").get(0).get("msg").asString()).contains("memory budget");
    }

    @Test
    void healthShowsTheBudgetInUse() {
        Api api = new Api("http://localhost:" + port);
        JsonNode budget = api.get("/health").json().get("memory_budget");
        assertThat(budget).as("memory_budget in /health").isNotNull();
        assertThat(budget.get("budget_bytes").asLong()).isEqualTo(300L * 1024 * 1024);
        assertThat(budget.get("in_use_bytes").asLong()).isBetween(0L, 300L * 1024 * 1024);
    }
}
