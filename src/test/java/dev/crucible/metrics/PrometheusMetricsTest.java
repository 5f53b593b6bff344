package dev.crucible.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import dev.crucible.support.Api;
import dev.crucible.support.TempStorageInitializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ContextConfiguration;

/**
 * /actuator/prometheus after real runs: the queue depth by lane an autoscaler reads, running
 * evaluations, ends by status and reason, run times by language, this worker's slots. Open to
 * API keys (and the admin), not to strangers.
 */
@Tag("docker")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"crucible.worker.concurrency=2", "crucible.images.pull-policy=never",
                "crucible.api.token=metrics-test-token"})
@ContextConfiguration(initializers = TempStorageInitializer.class)
class PrometheusMetricsTest {

    @LocalServerPort
    int port;

    HttpResponse<String> scrape(String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/prometheus"));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theScrapeShowsQueueRunsAndSlotsToKeysOnly() throws Exception {
        Api api = new Api("http://localhost:" + port);
        String key = "Bearer metrics-test-token";
        assertThat(postWithKey(api, "{\"code\": \"print(1)\"}")).isEqualTo(200);
        assertThat(postWithKey(api, "{\"code\": \"raise SystemExit(2)\"}")).isEqualTo(200);

        HttpResponse<String> scraped = scrape("Authorization", key);
        assertThat(scraped.statusCode()).isEqualTo(200);
        String metrics = scraped.body();
        assertThat(metrics)
                .contains("crucible_queue_depth{lane=\"interactive\"} 0.0")
                .contains("crucible_queue_depth{lane=\"batch\"} 0.0")
                .contains("crucible_evaluations_running 0.0")
                .contains("crucible_evaluations_ended_total{failure_reason=\"none\",status=\"completed\"} 1.0")
                .contains("crucible_evaluations_ended_total{failure_reason=\"nonzero_exit\",status=\"failed\"} 1.0")
                .contains("crucible_run_seconds_count{language=\"python\"} 2")
                .contains("crucible_run_seconds_bucket{language=\"python\",le=")
                .contains("crucible_worker_slots 2.0");
        // a slot is held until the container is removed, which happens after the answer
        await().atMost(Duration.ofSeconds(10)).until(() -> scrape("Authorization", key).body()
                .contains("crucible_worker_slots_used 0.0"));

        // strangers get nothing (this machine with a key in existence, but without it)
        assertThat(scrape().statusCode()).isEqualTo(401);
        assertThat(scrape("Authorization", "Bearer wrong").statusCode()).isEqualTo(401);
    }

    int postWithKey(Api api, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/eval?wait=true"))
                .header("Authorization", "Bearer metrics-test-token").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
