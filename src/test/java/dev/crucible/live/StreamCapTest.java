package dev.crucible.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.crucible.support.Api;
import dev.crucible.support.TempStorageInitializer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ContextConfiguration;

/**
 * crucible.live.max-streams: past it a client is told to come back (503, Retry-After, the API's
 * error body), and a stream its client has closed gives its place back. Docker is pointed
 * nowhere, so the evaluation stays queued and its streams stay open.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "crucible.docker.host=unix:///nonexistent/docker.sock", "crucible.live.max-streams=2",
        "crucible.live.keep-alive=1s"})
@ContextConfiguration(initializers = TempStorageInitializer.class)
class StreamCapTest {

    @LocalServerPort
    int port;

    @Test
    void pastMaxStreamsAClientIsToldToComeBackAndAClosedStreamGivesItsPlaceBack() throws Exception {
        Api api = new Api("http://localhost:" + port);
        String id = api.submit(Map.of("code", "print(1)")).text("eval_id");
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest events = HttpRequest.newBuilder(URI.create(api.base() + "/api/eval/" + id + "/events")).build();
        List<InputStream> open = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            HttpResponse<InputStream> stream = http.send(events, HttpResponse.BodyHandlers.ofInputStream());
            assertThat(stream.statusCode()).isEqualTo(200);
            assertThat(stream.body().read()).as("the stream has begun").isNotNegative();
            open.add(stream.body());
        }
        Api.Response refused = api.get("/api/eval/" + id + "/events");
        assertThat(refused.status()).as(refused.toString()).isEqualTo(503);
        assertThat(refused.header("Retry-After")).isEqualTo("5");
        assertThat(refused.text("detail")).isEqualTo("This node already serves 2 event streams (crucible.live.max-streams); "
                + "try again later");
        assertThat(refused.text("error")).isEqualTo(refused.text("detail"));

        open.remove(0).close();
        // the server learns of it when its writes to the stream fail (a keep-alive comment every second here)
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(500)).until(() -> {
            HttpResponse<InputStream> again = http.send(events, HttpResponse.BodyHandlers.ofInputStream());
            if (again.statusCode() == 200) {
                open.add(again.body());
                return true;
            }
            again.body().close();
            return false;
        });
        for (InputStream stream : open) {
            stream.close();
        }
    }
}
