package dev.crucible.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;

import dev.crucible.support.Api;
import dev.crucible.support.FakeEcr;
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
import tools.jackson.databind.JsonNode;

/**
 * The ECR code path for real: the AWS SDK asks a local GetAuthorizationToken endpoint for a token,
 * the platform pulls its python runtime image with it from a real private registry (the image is
 * not on the daemon until then), runs an evaluation on it and records the digest it ran on.
 */
@Tag("docker")
@Tag("registry")
@ExtendWith(OutputCaptureExtension.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"crucible.registry.type=ecr", "crucible.registry.ecr.region=eu-west-1",
                "crucible.images.pull-policy=if-not-present"})
@ContextConfiguration(initializers = TempStorageInitializer.class)
class EcrPullTest {

    static FakeEcr ecr;
    static String image;

    @DynamicPropertySource
    static void registry(DynamicPropertyRegistry properties) throws InterruptedException {
        System.setProperty("aws.accessKeyId", "test-access-key");
        System.setProperty("aws.secretAccessKey", "test-secret-key");
        System.setProperty("aws.ec2MetadataDisabled", "true");
        TestRegistry registry = TestRegistry.get();
        image = registry.push("crucible-runtime/python:3.11", "crucible/python-ecr", "3.11");
        ecr = new FakeEcr(registry.address(), TestRegistry.PASSWORD);
        properties.add("crucible.registry.ecr.endpoint", ecr::endpoint);
        properties.add("crucible.languages.python.image", () -> image);
    }

    @LocalServerPort
    int port;

    @Test
    void theImageIsPulledWithAnEcrTokenAndTheDigestItRanOnIsRecorded(CapturedOutput output) {
        Api api = new Api("http://localhost:" + port);
        await().atMost(Duration.ofSeconds(120)).until(() -> api.get("/health").status() == 200);

        Api.Response done = api.post("/api/eval?wait=true", "{\"code\": \"print('pulled from the registry')\"}");
        assertThat(done.status()).isEqualTo(200);
        JsonNode e = done.json();
        assertThat(e.get("output").asString()).isEqualTo("pulled from the registry\n");
        assertThat(e.get("image").asString()).isEqualTo(image);
        assertThat(e.get("image_digest").asString()).startsWith(image.substring(0, image.lastIndexOf(':')) + "@sha256:");
        assertThat(ecr.calls()).isEqualTo(1);

        assertThat(output.getAll()).doesNotContain(TestRegistry.PASSWORD).doesNotContain("test-secret-key");
    }
}
