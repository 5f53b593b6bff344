package dev.crucible.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.zaxxer.hikari.HikariDataSource;
import dev.crucible.support.Api;
import dev.crucible.support.Archives;
import dev.crucible.support.PlatformProcess;
import dev.crucible.support.TempStorage;
import dev.crucible.support.TestPostgres;
import org.apache.commons.csv.CSVFormat;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Batches on a shared PostgreSQL with two api processes and a worker (separate JVMs): a batch
 * belongs to the api process that runs its job. Another api process starting meanwhile leaves it
 * alone; when its owner dies (SIGKILL) mid-ingest, a live api process takes it over after
 * {@code dead-after}, continues after the last committed chunk from the shared batch folder, and
 * every program runs exactly once. The worker runs evaluations and no batch job at all.
 */
@Tag("docker")
@Tag("postgres")
class BatchOwnersIT {

    static final int PROGRAMS = 60;

    static PlatformProcess node(String database, String role, Path batchFolder, String... more) {
        List<String> settings = new ArrayList<>(List.of("crucible.role=" + role, "spring.datasource.url=" + database,
                "spring.datasource.username=" + TestPostgres.USER, "spring.datasource.password=" + TestPostgres.PASSWORD,
                "crucible.dispatch.heartbeat-interval=1s", "crucible.dispatch.dead-after=8s",
                "crucible.images.pull-policy=never"));
        if (batchFolder != null) {
            settings.add("crucible.batch.folder=" + batchFolder);
        }
        settings.addAll(List.of(more));
        return new PlatformProcess(TempStorage.create("owners-" + role), settings.toArray(String[]::new));
    }

    @Test
    void aBatchBelongsToTheApiProcessThatRunsItAndALiveOneTakesItOverWhenItsOwnerDies() throws Exception {
        String database = TestPostgres.createDatabase("owners");
        Path shared = TempStorage.create("shared-batches");
        HikariDataSource direct = TestPostgres.dataSource(database);
        // the first api ingests slowly (a program a second), so its job is still running when the
        // second api starts and when it dies (a start can take 40 s on a 2-core machine busy with
        // the worker's containers: the job must outlast that)
        try (PlatformProcess worker = node(database, "worker", null, "crucible.batch.poll-interval=50ms").start();
                PlatformProcess first = node(database, "api", shared, "crucible.batch.chunk-size=1",
                        "crucible.batch.chunk-delay=1s", "crucible.batch.poll-interval=200ms").start()) {
            JdbcClient jdbc = JdbcClient.create(direct);
            Map<String, String> files = new LinkedHashMap<>();
            for (int i = 0; i < PROGRAMS; i++) {
                files.put("p" + i + ".py", "print(" + i + ")");
            }
            Api.Response upload = first.api().postFile("/api/batches", "file", "owned.zip", Archives.zip(files));
            assertThat(upload.status()).as(upload.toString()).isEqualTo(202);
            String batch = upload.text("batch_id");
            long execution = jdbc.sql("SELECT job_execution_id FROM batch WHERE id = :id").param("id", batch)
                    .query(Long.class).single();

            try (PlatformProcess second = node(database, "api", shared, "crucible.batch.poll-interval=200ms").start()) {
                // the second api found the first one's job running and left it alone
                assertThat(jobStatus(jdbc, execution)).as("the first api's job, after the second started").isEqualTo("STARTED");
                assertThat(second.log()).doesNotContain("interrupted");
                assertThat(jdbc.sql("SELECT COUNT(*) FROM batch_item WHERE batch_id = :id AND eval_id IS NOT NULL")
                        .param("id", batch).query(Long.class).single()).as("still ingesting").isLessThan(PROGRAMS);

                // the owner dies mid-ingest: the live api takes the batch over and finishes it
                first.kill9();
                await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                        .until(() -> "completed".equals(second.api().get("/api/batches/" + batch).text("status")));
                assertThat(second.log()).contains(batch);
                var rows = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get()
                        .parse(new StringReader(second.api().get("/api/batches/" + batch + "/results.csv").raw().body()))
                        .getRecords();
                assertThat(rows).hasSize(PROGRAMS);
                for (var row : rows) {
                    String n = row.get("file").replaceAll("\\D", "");
                    assertThat(row.get("status") + ":" + row.get("output")).isEqualTo("completed:" + n + "\n");
                }
                // every program became one evaluation, run once
                assertThat(jdbc.sql("SELECT COUNT(*) FROM evaluation WHERE batch_id = :id").param("id", batch)
                        .query(Long.class).single()).isEqualTo(PROGRAMS);
                assertThat(jdbc.sql("SELECT MAX(attempts) FROM evaluation WHERE batch_id = :id").param("id", batch)
                        .query(Integer.class).single()).isEqualTo(1);
                // the report was written by an api process, into the shared folder; the worker wrote none
                assertThat(shared.resolve(batch).resolve("summary.json")).exists();
                assertThat(worker.log()).doesNotContain("writing its report");
                try (var walk = Files.walk(worker.storage())) {
                    assertThat(walk.filter(p -> p.getFileName().toString().equals("summary.json")).toList()).isEmpty();
                }
            }
        } finally {
            direct.close();
            TestPostgres.dropDatabase(database);
        }
    }

    static String jobStatus(JdbcClient jdbc, long execution) {
        return jdbc.sql("SELECT status FROM batch_job_execution WHERE job_execution_id = :id").param("id", execution)
                .query(String.class).single();
    }
}
