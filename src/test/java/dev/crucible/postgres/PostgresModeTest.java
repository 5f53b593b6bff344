package dev.crucible.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.StringReader;
import java.time.Duration;

import dev.crucible.evaluation.QueueDatabase;
import dev.crucible.retention.RetentionSweep;
import dev.crucible.support.Api;
import dev.crucible.support.Archives;
import dev.crucible.support.TempStorageInitializer;
import dev.crucible.support.TestPostgres;
import org.apache.commons.csv.CSVFormat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The whole platform on a real PostgreSQL instead of the embedded H2: Flyway makes every table
 * (Spring Batch's too), the queue claims with SKIP LOCKED, and the API, batches, history, CSV,
 * statistics, health and retention all run their queries there, with real containers.
 */
@Tag("docker")
@Tag("postgres")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"crucible.worker.concurrency=2", "crucible.images.pull-policy=never"})
@ContextConfiguration(initializers = TempStorageInitializer.class)
class PostgresModeTest {

    static String database;

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry properties) {
        database = TestPostgres.useNewDatabase(properties, "mode");
    }

    @AfterAll
    static void drop() {
        // the context (and its pool) stays cached until the JVM ends: drop with FORCE
        TestPostgres.dropDatabase(database);
    }

    @LocalServerPort
    int port;

    @Autowired
    QueueDatabase queueDatabase;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    RetentionSweep retention;

    @Test
    void everythingRunsOnPostgres() throws Exception {
        assertThat(queueDatabase.name()).isEqualTo("PostgreSQL");
        assertThat(queueDatabase.exclusive()).isFalse();
        assertThat(jdbc.sql("SELECT current_database()").query(String.class).single()).isEqualTo(
                database.substring(database.lastIndexOf('/') + 1));
        Api api = new Api("http://localhost:" + port);

        // single evaluations, ended every way
        Api.Response ok = api.post("/api/eval?wait=true", "{\"code\": \"print('on postgres')\"}");
        assertThat(ok.status()).as(ok.toString()).isEqualTo(200);
        assertThat(ok.text("output")).isEqualTo("on postgres\n");
        Api.Response failed = api.post("/api/eval?wait=true", "{\"code\": \"raise SystemExit(3)\", \"priority\": 7}");
        assertThat(failed.text("failure_reason")).isEqualTo("nonzero_exit");
        String sleeper = api.post("/api/eval", "{\"code\": \"import time; time.sleep(30)\"}").text("eval_id");
        await().atMost(Duration.ofSeconds(30)).until(() -> "running".equals(api.get("/api/eval/" + sleeper).text("status")));
        assertThat(api.post("/api/eval/" + sleeper + "/cancel", "").status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).until(() -> "cancelled".equals(api.get("/api/eval/" + sleeper).text("status")));

        // a JSON batch and an uploaded archive, run through Spring Batch's job repository on PostgreSQL
        Api.Response json = api.post("/api/eval-batch", "{\"evaluations\": [{\"code\": \"print(1)\"}, {\"code\": \"print(2)\"}]}");
        assertThat(json.status()).as(json.toString()).isEqualTo(202);
        Api.Response upload = api.postFile("/api/batches", "file", "pg.zip",
                Archives.zip(Archives.files("a.py", "print('a')", "b.py", "print('b')", "notes.txt", "skip me")));
        assertThat(upload.status()).as(upload.toString()).isEqualTo(202);
        String batch = upload.text("batch_id");
        await().atMost(Duration.ofSeconds(60)).until(() -> "completed".equals(api.get("/api/batches/" + batch).text("status")));
        var rows = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get()
                .parse(new StringReader(api.get("/api/batches/" + batch + "/results.csv").raw().body())).getRecords();
        assertThat(rows).extracting(r -> r.get("file") + "=" + r.get("status") + ":" + r.get("output"))
                .contains("a.py=completed:a\n", "b.py=completed:b\n");
        assertThat(rows).filteredOn(r -> r.get("status").equals("completed"))
                .allMatch(r -> Long.parseLong(r.get("peak_memory_kb")) > 0 && !r.get("cpu_time_ms").isEmpty());
        await().atMost(Duration.ofSeconds(60)).until(() -> api.get("/api/queue/status").json().get("processing").asLong() == 0
                && api.get("/api/queue/status").json().get("queued").asLong() == 0);

        // the history, its filters and its export, statistics and health
        JsonNode list = api.get("/api/evaluations?limit=2&status=completed").json();
        assertThat(list.get("evaluations")).hasSize(2);
        assertThat(list.get("has_more").asBoolean()).isTrue();
        JsonNode statistics = api.get("/api/statistics").json();
        assertThat(statistics.get("total_evaluations").asLong()).isEqualTo(7);
        assertThat(statistics.get("by_status").get("completed").asLong()).isEqualTo(5);
        assertThat(statistics.get("p95_runtime_ms").isNumber()).isTrue();
        assertThat(statistics.get("history").get("oldest_evaluation").isString()).isTrue();
        String csv = api.get("/api/evaluations.csv?status=failed").raw().body();
        assertThat(csv.lines().toList()).hasSize(2);
        assertThat(api.get("/health").json().get("services").get("database").asString()).isEqualTo("healthy");

        // retention on PostgreSQL: everything is made 100 days older, then swept
        jdbc.sql("UPDATE evaluation SET created_at = created_at - INTERVAL '100 days'").update();
        jdbc.sql("UPDATE batch SET created_at = created_at - INTERVAL '100 days'").update();
        RetentionSweep.Swept swept = retention.sweep();
        assertThat(swept.batches()).isEqualTo(2);
        assertThat(swept.evaluations()).isEqualTo(3);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM evaluation").query(Long.class).single()).isZero();
        assertThat(api.get("/api/batches").json().get("batches")).isEmpty();
    }
}
