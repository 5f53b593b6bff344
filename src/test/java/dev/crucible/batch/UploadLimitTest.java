package dev.crucible.batch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crucible.support.Api;
import dev.crucible.support.TempStorageInitializer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ContextConfiguration;

/**
 * An upload larger than spring.servlet.multipart.max-request-size, through a real server (the
 * limit is the servlet container's, which MockMvc does not have): a 413 that says so in the API's
 * JSON, and nothing stored.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "crucible.docker.host=unix:///nonexistent/docker.sock",
        "spring.servlet.multipart.max-file-size=1MB", "spring.servlet.multipart.max-request-size=1MB"})
@ContextConfiguration(initializers = TempStorageInitializer.class)
class UploadLimitTest {

    @LocalServerPort
    int port;

    @Test
    void anUploadOverTheRequestLimitIsA413ThatSaysSoAndStoresNothing() {
        Api api = new Api("http://localhost:" + port);
        Api.Response refused = api.postFile("/api/batches", "file", "huge.zip", new byte[2 * 1024 * 1024]);
        assertThat(refused.status()).as(refused.toString()).isEqualTo(413);
        assertThat(refused.text("detail")).isEqualTo("The upload is larger than the platform accepts: at most 1MB "
                + "(spring.servlet.multipart.max-request-size)");
        assertThat(api.get("/api/batches").json().get("count").asLong()).isZero();
    }
}
