package dev.crucible.recovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.github.dockerjava.api.model.Container;
import dev.crucible.sandbox.SandboxLabels;
import dev.crucible.support.Api;
import dev.crucible.support.PlatformProcess;
import dev.crucible.support.TempStorage;
import dev.crucible.support.TestDocker;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The packaged platform, killed with SIGKILL (or stopped) at awkward moments and started again on
 * the same storage: every evaluation still ends exactly once and no container is left behind.
 */
@Tag("docker")
class CrashRecoveryIT {

    static final String SLEEPER = "import time\nprint('start', flush=True)\ntime.sleep(4)\nprint('done')";

    static String status(Api api, String id) {
        return api.get("/api/eval/" + id).text("status");
    }

    static List<Container> containersOf(String id) {
        return TestDocker.containersOf(id);
    }

    static String awaitRunningContainer(String id) {
        await().atMost(Duration.ofSeconds(60)).until(() ->
                containersOf(id).stream().anyMatch(c -> "running".equals(c.getState())));
        return containersOf(id).get(0).getId();
    }

    @Test
    void aRunningEvaluationSurvivesKillMinus9AndRunsAgainAlone() throws Exception {
        Path storage = TempStorage.create("crash");
        String id;
        String orphan;
        try (PlatformProcess first = new PlatformProcess(storage).start()) {
            id = first.api().submit(Map.of("code", SLEEPER)).text("eval_id");
            orphan = awaitRunningContainer(id);
            first.kill9();
        }
        // the container outlived its platform: it is an orphan now
        assertThat(containersOf(id)).extracting(Container::getId).contains(orphan);

        try (PlatformProcess second = new PlatformProcess(storage).start()) {
            Api api = second.api();
            await().atMost(Duration.ofSeconds(60)).until(() -> "completed".equals(status(api, id)));
            JsonNode e = api.get("/api/eval/" + id).json();
            assertThat(e.get("attempts").asInt()).isEqualTo(2);
            assertThat(e.get("output").asString()).isEqualTo("start\ndone\n");
            assertThat(TestDocker.client().listContainersCmd().withShowAll(true).withIdFilter(List.of(orphan)).exec()).isEmpty();
            assertThat(second.log()).contains("was left running by worker");
            await().atMost(Duration.ofSeconds(15)).until(() -> containersOf(id).isEmpty());
        }
    }

    /** The pooled containers a platform process made (their worker id holds its pid), waiting or not. */
    static List<String> pooledContainersOf(PlatformProcess platform) {
        return TestDocker.client().listContainersCmd().withShowAll(true)
                .withLabelFilter(List.of(dev.crucible.sandbox.SandboxLabels.POOL)).exec().stream()
                .filter(c -> c.getLabels().getOrDefault(dev.crucible.sandbox.SandboxLabels.WORKER, "")
                        .contains("-" + platform.pid() + "-"))
                .map(Container::getId).toList();
    }

    @Test
    void aFullPoolLeftByKillMinus9IsGoneAfterTheNextStart() throws Exception {
        Path storage = TempStorage.create("crash-pool");
        List<String> pooled;
        try (PlatformProcess first = new PlatformProcess(storage).start()) {
            Api api = first.api();
            // a shape asked for fills the pool
            assertThat(api.post("/api/eval?wait=true", "{\"code\": \"print(1)\"}").text("status")).isEqualTo("completed");
            await().atMost(Duration.ofSeconds(60)).until(() -> api.get("/health").json().get("pool").get("ready").asInt() >= 2);
            pooled = pooledContainersOf(first);
            assertThat(pooled).hasSizeGreaterThanOrEqualTo(2);
            first.kill9();
        }
        // they outlived their platform
        assertThat(TestDocker.client().listContainersCmd().withShowAll(true).withIdFilter(pooled).exec()).hasSameSizeAs(pooled);
        try (PlatformProcess second = new PlatformProcess(storage).start()) {
            // the reaper runs before the dispatcher claims anything
            assertThat(TestDocker.client().listContainersCmd().withShowAll(true).withIdFilter(pooled).exec()).isEmpty();
            assertThat(second.log()).contains("Removing orphaned pooled container");
            // and a stop removes what the pool held
            assertThat(second.api().post("/api/eval?wait=true", "{\"code\": \"print(2)\"}").text("output")).isEqualTo("2\n");
            await().atMost(Duration.ofSeconds(60)).until(() -> !pooledContainersOf(second).isEmpty());
            assertThat(second.stop()).isIn(0, 143);
            assertThat(pooledContainersOf(second)).isEmpty();
        }
    }

    @Test
    void anEvaluationInterruptedTooOftenEndsWithAClearReason() throws Exception {
        Path storage = TempStorage.create("crash-exhausted");
        String id;
        try (PlatformProcess first = new PlatformProcess(storage, "crucible.dispatch.max-attempts=1").start()) {
            id = first.api().submit(Map.of("code", SLEEPER)).text("eval_id");
            awaitRunningContainer(id);
            first.kill9();
        }
        try (PlatformProcess second = new PlatformProcess(storage, "crucible.dispatch.max-attempts=1").start()) {
            Api api = second.api();
            await().atMost(Duration.ofSeconds(30)).until(() -> "failed".equals(status(api, id)));
            JsonNode e = api.get("/api/eval/" + id).json();
            assertThat(e.get("failure_reason").asString()).isEqualTo("platform_restart");
            assertThat(e.get("error").asString()).contains("The platform stopped while this evaluation was running");
            assertThat(e.get("completed_at").isNull()).isFalse();
            await().atMost(Duration.ofSeconds(15)).until(() -> containersOf(id).isEmpty());
        }
    }

    @Test
    void submissionsAcceptedJustBeforeACrashAreNotLostAndEachEndsOnce() throws Exception {
        Path storage = TempStorage.create("crash-queue");
        List<String> ids = new ArrayList<>();
        try (PlatformProcess first = new PlatformProcess(storage, "crucible.worker.concurrency=1").start()) {
            Api api = first.api();
            for (int i = 0; i < 25; i++) {
                Api.Response r = api.submit(Map.of("code", "print(" + i + ")"));
                assertThat(r.status()).isEqualTo(202);
                ids.add(r.text("eval_id"));
            }
            first.kill9(); // right after the last 202
        }
        try (PlatformProcess second = new PlatformProcess(storage).start()) {
            Api api = second.api();
            await().atMost(Duration.ofSeconds(120)).until(() -> ids.stream().allMatch(id -> "completed".equals(status(api, id))));
            for (int i = 0; i < ids.size(); i++) {
                JsonNode e = api.get("/api/eval/" + ids.get(i)).json();
                assertThat(e.get("output").asString()).isEqualTo(i + "\n");
                assertThat(e.get("attempts").asInt()).isBetween(1, 2);
            }
            assertThat(api.get("/api/evaluations?limit=1").json().get("count").asLong()).isEqualTo(25);
            await().atMost(Duration.ofSeconds(15)).until(() -> ids.stream().allMatch(id -> containersOf(id).isEmpty()));
        }
    }

    @Test
    void aGracefulStopPutsRunningWorkBackAndRemovesItsContainer() throws Exception {
        Path storage = TempStorage.create("graceful");
        String id;
        String container;
        try (PlatformProcess first = new PlatformProcess(storage, "crucible.dispatch.shutdown-grace=500ms").start()) {
            id = first.api().submit(Map.of("code", "import time\nprint('start', flush=True)\ntime.sleep(20)\nprint('done')"))
                    .text("eval_id");
            container = awaitRunningContainer(id);
            assertThat(first.stop()).isIn(0, 143);
            assertThat(first.log()).contains("goes back to the queue");
        }
        assertThat(TestDocker.client().listContainersCmd().withShowAll(true).withIdFilter(List.of(container)).exec()).isEmpty();
        try (PlatformProcess second = new PlatformProcess(storage).start()) {
            Api api = second.api();
            await().atMost(Duration.ofSeconds(60)).until(() -> "completed".equals(status(api, id)));
            JsonNode e = api.get("/api/eval/" + id).json();
            assertThat(e.get("attempts").asInt()).isEqualTo(1);
            assertThat(e.get("output").asString()).isEqualTo("start\ndone\n");
        }
    }
}
