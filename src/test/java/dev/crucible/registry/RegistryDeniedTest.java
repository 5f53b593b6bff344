package dev.crucible.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import dev.crucible.support.Api;
import dev.crucible.support.TempStorageInitializer;
import dev.crucible.support.TestRegistry;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A wrong registry password: the platform still starts, health names the image and why it could
 * not be pulled, its evaluations fail with that reason, and the password is nowhere in the logs.
 */
@Tag("docker")
@Tag("registry")
@ExtendWith(OutputCaptureExtension.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"crucible.registry.type=basic", "crucible.registry.username=AWS",
                "crucible.registry.password=wrong-password-do-not-log", "crucible.images.pull-policy=if-not-present"})
@ContextConfiguration(initializers = TempStorageInitializer.class)
class RegistryDeniedTest {

    static String image;

    @DynamicPropertySource
    static void registry(DynamicPropertyRegistry properties) throws InterruptedException {
        image = TestRegistry.get().push("crucible-runtime/python:3.11", "crucible/python-denied", "3.11");
        properties.add("crucible.languages.python.image", () -> image);
        properties.add("crucible.registry.server", () -> TestRegistry.get().address());
    }

    @LocalServerPort
    int port;

    @Test
    void aWrongPasswordIsAClearErrorAndNeverLogged(CapturedOutput output) {
        Api api = new Api("http://localhost:" + port);
        await().atMost(Duration.ofSeconds(60)).until(() ->
                api.get("/health").json().get("services").get("images").asString().contains("pull failed"));
        String images = api.get("/health").json().get("services").get("images").asString();
        assertThat(images).contains(image).containsIgnoringCase("unauthorized");

        Api.Response failed = api.post("/api/eval?wait=true", "{\"code\": \"print(1)\"}");
        assertThat(failed.text("status")).isEqualTo("failed");
        assertThat(failed.text("failure_reason")).isEqualTo("image_unavailable");
        assertThat(failed.text("error")).contains(image).contains("pull failed").doesNotContain("Exception").doesNotContain("\tat ");

        assertThat(output.getAll()).doesNotContain("wrong-password-do-not-log").doesNotContain(TestRegistry.PASSWORD);
    }
}
