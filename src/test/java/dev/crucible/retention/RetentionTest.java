package dev.crucible.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import dev.crucible.evaluation.RetentionProperties;
import dev.crucible.storage.StorageDirectory;
import dev.crucible.support.Api;
import dev.crucible.support.Archives;
import dev.crucible.support.TempStorageInitializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ContextConfiguration;
import tools.jackson.databind.JsonNode;

/**
 * History older than crucible.retention.max-age goes: single evaluations, and batches whole
 * (evaluations, items, files, job records); queued and running work stays however old. The rows
 * are made through the real API and real containers, then aged in the database.
 */
@Tag("docker")
@ExtendWith(OutputCaptureExtension.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        // a context (and so a database) of its own: the test ages every row it finds
        properties = {"crucible.worker.concurrency=2", "crucible.images.pull-policy=never", "crucible.retention.max-age=90d"})
@ContextConfiguration(initializers = TempStorageInitializer.class)
class RetentionTest {

    @LocalServerPort
    int port;

    @Autowired
    RetentionSweep sweep;

    @Autowired
    JdbcClient jdbc;

    @Value("${" + StorageDirectory.PROPERTY + "}")
    Path storage;

    long count(String sql) {
        return jdbc.sql(sql).query(Long.class).single();
    }

    @Test
    void historyOlderThanItsMaxAgeIsDeletedAndActiveWorkIsKept(CapturedOutput output) throws Exception {
        Api api = new Api("http://localhost:" + port);
        String old1 = api.post("/api/eval?wait=true", "{\"code\": \"print(1)\"}").text("eval_id");
        String old2 = api.post("/api/eval?wait=true", "{\"code\": \"print(2)\"}").text("eval_id");
        Api.Response upload = api.postFile("/api/batches", "file", "old.zip",
                Archives.zip(Archives.files("a.py", "print('a')", "b.py", "print('b')")));
        assertThat(upload.status()).as(upload.toString()).isEqualTo(202);
        String batch = upload.text("batch_id");
        await().atMost(Duration.ofSeconds(60))
                .until(() -> "completed".equals(api.get("/api/batches/" + batch).text("status")));
        assertThat(storage.resolve("batches").resolve(batch)).exists();
        String running = api.post("/api/eval", "{\"code\": \"import time; time.sleep(60)\", \"timeout\": 90}").text("eval_id");
        await().atMost(Duration.ofSeconds(30)).until(() -> "running".equals(api.get("/api/eval/" + running).text("status")));

        // a hundred days pass for everything so far
        jdbc.sql("UPDATE evaluation SET created_at = DATEADD('DAY', -100, created_at)").update();
        jdbc.sql("UPDATE batch SET created_at = DATEADD('DAY', -100, created_at)").update();
        String recent = api.post("/api/eval?wait=true", "{\"code\": \"print('recent')\"}").text("eval_id");
        long jobs = count("SELECT COUNT(*) FROM BATCH_JOB_INSTANCE");

        RetentionSweep.Swept swept = sweep.sweep();
        assertThat(swept.batches()).isEqualTo(1);
        assertThat(swept.evaluations()).isEqualTo(2);
        assertThat(api.get("/api/eval/" + old1).status()).isEqualTo(404);
        assertThat(api.get("/api/eval/" + old2).status()).isEqualTo(404);
        assertThat(api.get("/api/batches/" + batch).status()).isEqualTo(404);
        assertThat(count("SELECT COUNT(*) FROM evaluation WHERE batch_id IS NOT NULL")).isZero();
        assertThat(count("SELECT COUNT(*) FROM batch_item")).isZero();
        assertThat(count("SELECT COUNT(*) FROM BATCH_JOB_INSTANCE")).isEqualTo(jobs - 1);
        assertThat(storage.resolve("batches").resolve(batch)).doesNotExist();
        assertThat(api.get("/api/eval/" + running).text("status")).isEqualTo("running");
        assertThat(api.get("/api/eval/" + recent).text("output")).isEqualTo("recent\n");
        assertThat(output.getOut()).contains("Retention: deleted 1 batches and 2 other evaluations");

        // the API says how far back history goes
        JsonNode history = api.get("/api/statistics").json().get("history");
        assertThat(history.get("kept_for").asString()).isEqualTo("90 days");
        assertThat(history.get("max_age_seconds").asLong()).isEqualTo(Duration.ofDays(90).toSeconds());
        assertThat(Duration.between(Instant.parse(history.get("since").asString()), Instant.now().minus(Duration.ofDays(90))).abs())
                .isLessThan(Duration.ofMinutes(5));
        assertThat(Instant.parse(history.get("oldest_evaluation").asString())).isBefore(Instant.now().minus(Duration.ofDays(99)));

        // a second sweep finds nothing more; the running one is cancelled to end the test clean
        assertThat(sweep.sweep()).isEqualTo(new RetentionSweep.Swept(0, 0));
        api.post("/api/eval/" + running + "/cancel", "");
        await().atMost(Duration.ofSeconds(30)).until(() -> "cancelled".equals(api.get("/api/eval/" + running).text("status")));
        assertThat(Files.exists(storage.resolve("crucible.mv.db"))).isTrue();
    }

    @Test
    void zeroKeepsEverything() {
        RetentionProperties forever = new RetentionProperties(Duration.ZERO, Duration.ofHours(1));
        assertThat(forever.keepsEverything()).isTrue();
        assertThat(forever.cutoff(Instant.now())).isNull();
        assertThat(forever.describe()).isEqualTo("forever");
        assertThat(new RetentionProperties(Duration.ofDays(90), Duration.ofHours(1)).describe()).isEqualTo("90 days");
    }
}
