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
import org.springframework.test.context.ContextConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;

/** A language whose image is not on the Docker host: the platform starts, says so, and fails such work clearly. */
@Tag("docker")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "crucible.images.pull-policy=if-not-present",
        "crucible.languages.ghost.image=crucible-runtime/ghost:0",
        "crucible.languages.ghost.file-name=main.py",
        "crucible.languages.ghost.command[0]=python3",
        "crucible.languages.ghost.command[1]=main.py"})
@ContextConfiguration(initializers = TempStorageInitializer.class)
class MissingImageTest {


    @LocalServerPort
    int port;

    @Test
    void healthNamesTheMissingImageAndItsEvaluationsFailWithAReason() {
        Api api = new Api("http://localhost:" + port);
        await().atMost(Duration.ofSeconds(30)).until(() -> api.get("/health").status() == 503);
        String images = api.get("/health").json().get("services").get("images").asString();
        assertThat(images).startsWith("missing: crucible-runtime/ghost:0").contains("pull failed");
        assertThat(images).doesNotContain("crucible-runtime/python");
        assertThat(api.get("/health").json().get("services").get("docker").asString()).isEqualTo("healthy");

        String id = api.submit(Map.of("code", "print(1)", "language", "ghost")).text("eval_id");
        await().atMost(Duration.ofSeconds(30)).until(() -> "failed".equals(api.get("/api/eval/" + id).text("status")));
        Api.Response e = api.get("/api/eval/" + id);
        assertThat(e.text("failure_reason")).isEqualTo("image_unavailable");
        assertThat(e.text("error")).contains("crucible-runtime/ghost:0").contains("deploy/runtimes/build.sh");

        // the other languages still work
        assertThat(api.post("/api/eval?wait=true", "{\"code\": \"print(2)\"}").text("output")).isEqualTo("2\n");
    }
}
