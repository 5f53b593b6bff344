package dev.crucible.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.crucible.storage.StorageDirectory;
import dev.crucible.support.Api;
import dev.crucible.support.Archives;
import dev.crucible.support.TempStorageInitializer;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ContextConfiguration;

/**
 * Many batches in flight at once, through real HTTP: a batch that waits for its evaluations holds
 * no thread, so none of them waits for another to be accepted or to finish.
 */
@Tag("docker")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "crucible.worker.concurrency=10", "crucible.batch.poll-interval=200ms"})
@ContextConfiguration(initializers = TempStorageInitializer.class)
class ConcurrentBatchesTest {

    static final int BATCHES = 20;

    @LocalServerPort
    int port;

    @Value("${" + StorageDirectory.PROPERTY + "}")
    Path storage;

    record Answer(Api.Response response, Duration took) {
    }

    @Test
    void twentyBatchesUploadedAtOnceAreEachAcceptedAtOnceAndAllFinish() throws Exception {
        Api api = new Api("http://localhost:" + port);
        List<Future<Answer>> uploads = new ArrayList<>();
        ExecutorService clients = Executors.newFixedThreadPool(BATCHES);
        try {
            for (int i = 0; i < BATCHES; i++) {
                // each script outlives the bound below: an upload that waits for another batch to end shows
                byte[] zip = Archives.zip(Archives.files("slow" + i + ".py", "import time\ntime.sleep(12)\nprint(" + i + ")",
                        "quick" + i + ".py", "print(" + (i + 100) + ")"));
                int n = i;
                uploads.add(clients.submit(() -> {
                    long start = System.nanoTime();
                    Api.Response response = api.postFile("/api/batches", "file", "batch" + n + ".zip", zip);
                    return new Answer(response, Duration.ofNanos(System.nanoTime() - start));
                }));
            }
            List<String> ids = new ArrayList<>();
            for (Future<Answer> upload : uploads) {
                Answer answer = upload.get();
                assertThat(answer.response().status()).as(answer.response().toString()).isEqualTo(202);
                assertThat(answer.took()).as("time to accept an upload").isLessThan(Duration.ofSeconds(10));
                ids.add(answer.response().text("batch_id"));
            }

            for (int i = 0; i < BATCHES; i++) {
                String id = ids.get(i);
                await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(250))
                        .until(() -> "completed".equals(api.get("/api/batches/" + id).text("status")));
                assertThat(Files.exists(storage.resolve("batches").resolve(id).resolve("results.csv")))
                        .as("the report step wrote the results of " + id).isTrue();
                List<CSVRecord> rows = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get()
                        .parse(new StringReader(api.get("/api/batches/" + id + "/results.csv").raw().body())).getRecords();
                assertThat(rows).hasSize(2);
                assertThat(rows).allMatch(row -> row.get("status").equals("completed"));
                assertThat(rows.stream().map(row -> row.get("output")))
                        .containsExactlyInAnyOrder(i + "\n", (i + 100) + "\n");
            }
        } finally {
            clients.shutdownNow();
        }
    }
}
