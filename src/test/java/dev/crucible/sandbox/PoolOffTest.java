package dev.crucible.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import dev.crucible.storage.Installation;
import dev.crucible.support.Api;
import dev.crucible.support.TempStorageInitializer;
import dev.crucible.support.TestDocker;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ContextConfiguration;
import tools.jackson.databind.JsonNode;

/** {@code crucible.pool.enabled=false}: every run gets a container made when it begins, and none waits ahead. */
@Tag("docker")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "crucible.images.pull-policy=never", "crucible.pool.enabled=false"})
@ContextConfiguration(initializers = TempStorageInitializer.class)
class PoolOffTest {

    @LocalServerPort
    int port;

    @Autowired
    Installation installation;

    @Test
    void runsGetFreshContainersAndNothingIsStartedAhead() {
        Api api = new Api("http://localhost:" + port);
        for (int i = 0; i < 2; i++) {
            JsonNode done = api.evaluate(Map.of("code", "import os\nprint(os.getcwd())"));
            assertThat(done.get("status").asString()).as(done.toString()).isEqualTo("completed");
            assertThat(done.get("output").asString()).isEqualTo("/code\n");
            assertThat(done.get("image_digest").asString()).startsWith("sha256:");
        }
        JsonNode pool = api.get("/health").json().get("pool");
        assertThat(pool.get("enabled").asBoolean()).isFalse();
        assertThat(pool.get("ready").asInt()).isZero();
        assertThat(pool.get("handed_out").asLong()).isZero();
        JsonNode worker = api.get("/api/workers").json().get("workers").get(0);
        assertThat(worker.get("pool_ready").isNull()).as(worker.toString()).isTrue();
        List<com.github.dockerjava.api.model.Container> pooled = TestDocker.client().listContainersCmd().withShowAll(true)
                .withLabelFilter(List.of(SandboxLabels.POOL)).exec().stream()
                .filter(c -> installation.id().equals(c.getLabels().get(SandboxLabels.INSTALLATION)))
                .toList();
        assertThat(pooled).as("pooled containers of this installation").isEmpty();
    }
}
