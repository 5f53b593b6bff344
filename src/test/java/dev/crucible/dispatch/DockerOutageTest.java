package dev.crucible.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.crucible.sandbox.SandboxLabels;
import dev.crucible.support.Api;
import dev.crucible.support.SwitchableDockerSocket;
import dev.crucible.support.TempStorage;
import dev.crucible.support.TestDocker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The platform's Docker connection goes through a socket the test switches off and on: work
 * submitted while Docker is away waits in the queue (bounded), health says so, and it all runs
 * once Docker is back; a run cut off by the outage runs again, never beside its first container.
 */
@Tag("docker")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "crucible.worker.concurrency=2",
        "crucible.queue.max-size=3",
        "crucible.docker.down-ping-interval=200ms",
        "crucible.images.pull-policy=never"})
class DockerOutageTest {

    static final Path STORAGE = TempStorage.create("outage");
    static final SwitchableDockerSocket DOCKER = new SwitchableDockerSocket(STORAGE.resolve("docker.sock"),
            Path.of("/var/run/docker.sock"));

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("crucible.storage-dir", STORAGE::toString);
        registry.add("crucible.docker.host", DOCKER::uri);
    }

    @AfterAll
    static void closeSocket() {
        DOCKER.close();
    }

    @LocalServerPort
    int port;

    @Test
    void workWaitsForDockerAndRunsWhenItIsBack() {
        Api api = new Api("http://localhost:" + port);
        DOCKER.down();
        await().atMost(Duration.ofSeconds(10)).until(() -> api.get("/health").status() == 503);
        Api.Response health = api.get("/health");
        assertThat(health.text("status")).isEqualTo("unhealthy");
        assertThat(health.json().get("services").get("docker").asString()).startsWith("down");
        assertThat(health.json().get("services").get("database").asString()).isEqualTo("healthy");

        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Api.Response r = api.submit(Map.of("code", "print('ran " + i + "')"));
            assertThat(r.status()).isEqualTo(202);
            ids.add(r.text("eval_id"));
        }
        Api.Response refused = api.submit(Map.of("code", "print('one too many')"));
        assertThat(refused.status()).isEqualTo(503);
        assertThat(refused.text("detail")).contains("queue is full");
        assertThat(refused.header("Retry-After")).isNotNull();
        assertThat(api.get("/api/evaluations?limit=1").json().get("count").asLong()).isEqualTo(3);

        // nothing runs while Docker is away
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).until(() ->
                ids.stream().allMatch(id -> "queued".equals(api.get("/api/eval/" + id).text("status"))));

        DOCKER.up();
        await().atMost(Duration.ofSeconds(60)).until(() ->
                ids.stream().allMatch(id -> "completed".equals(api.get("/api/eval/" + id).text("status"))));
        for (int i = 0; i < 3; i++) {
            assertThat(api.get("/api/eval/" + ids.get(i)).text("output")).isEqualTo("ran " + i + "\n");
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> api.get("/health").status() == 200);
    }

    @Test
    void aRunCutOffByTheOutageRunsAgainAfterItsOldContainerIsGone() {
        Api api = new Api("http://localhost:" + port);
        DOCKER.up();
        await().atMost(Duration.ofSeconds(10)).until(() -> api.get("/health").status() == 200);
        String id = api.submit(Map.of("code", "import time\nprint('start', flush=True)\ntime.sleep(3)\nprint('done')"))
                .text("eval_id");
        await().atMost(Duration.ofSeconds(30)).until(() ->
                TestDocker.containersOf(id).stream().anyMatch(c -> "running".equals(c.getState())));
        String firstContainer = TestDocker.containersOf(id).get(0).getId();

        DOCKER.down();
        await().atMost(Duration.ofSeconds(20)).until(() -> "queued".equals(api.get("/api/eval/" + id).text("status")));
        DOCKER.up();

        await().atMost(Duration.ofSeconds(60)).until(() -> "completed".equals(api.get("/api/eval/" + id).text("status")));
        JsonNode done = api.get("/api/eval/" + id).json();
        assertThat(done.get("attempts").asInt()).isEqualTo(2);
        assertThat(done.get("output").asString()).isEqualTo("start\ndone\n");
        // the first container was removed before the second was made (their names are the same)
        assertThat(TestDocker.client().listContainersCmd().withShowAll(true).withIdFilter(List.of(firstContainer)).exec())
                .isEmpty();
        await().atMost(Duration.ofSeconds(10)).until(() -> TestDocker.containersOf(id).isEmpty());
    }
}
