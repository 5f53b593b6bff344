package dev.crucible.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;

import dev.crucible.support.Api;
import dev.crucible.support.TempStorageInitializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ContextConfiguration;

/**
 * A language set to an OCI runtime the engine does not know (gVisor not registered, say): health
 * names it, its evaluations fail with the engine's reason, and the other languages still run.
 */
@Tag("docker")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "crucible.images.pull-policy=never",
        "crucible.languages.node.runtime=crucible-no-such-runtime"})
@ContextConfiguration(initializers = TempStorageInitializer.class)
class MissingRuntimeTest {

    @LocalServerPort
    int port;

    @Test
    void healthNamesTheMissingRuntimeAndItsEvaluationsFailWithAReason() {
        Api api = new Api("http://localhost:" + port);
        await().atMost(Duration.ofSeconds(30)).until(() -> api.get("/health").status() == 503);
        Api.Response health = api.get("/health");
        assertThat(health.json().get("services").get("runtime").asString())
                .isEqualTo("missing: the Docker engine does not know the runtime crucible-no-such-runtime"
                        + " (for gVisor: deploy/dev/ensure-gvisor.sh registers runsc)");
        assertThat(health.json().get("sandbox_runtime").get("crucible-no-such-runtime").toString()).isEqualTo("[\"node\"]");

        JsonNodeText e = new JsonNodeText(api.evaluate(Map.of("code", "console.log(1)", "language", "node")));
        assertThat(e.status).isEqualTo("failed");
        assertThat(e.error).contains("crucible-no-such-runtime");

        assertThat(api.post("/api/eval?wait=true", "{\"code\": \"print(2)\"}").text("output")).isEqualTo("2\n");
    }

    private record JsonNodeText(String status, String error) {
        JsonNodeText(tools.jackson.databind.JsonNode node) {
            this(node.get("status").asString(), node.get("error").asString());
        }
    }
}
