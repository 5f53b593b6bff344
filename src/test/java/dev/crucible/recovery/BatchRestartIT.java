package dev.crucible.recovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.StringReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.crucible.support.Api;
import dev.crucible.support.Archives;
import dev.crucible.support.PlatformProcess;
import dev.crucible.support.TempStorage;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * A batch's platform killed with SIGKILL in the ingest step and in the await step, then started
 * again on the same storage: the batch resumes by itself and every script is evaluated exactly once.
 */
@Tag("docker")
class BatchRestartIT {

    static byte[] programs(int n, String body) {
        Map<String, String> files = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            files.put(String.format("p%03d.py", i), body.replace("N", Integer.toString(i)));
        }
        return Archives.zip(files);
    }

    static JsonNode batch(Api api, String id) {
        return api.get("/api/batches/" + id).json();
    }

    static List<CSVRecord> results(Api api, String id) throws Exception {
        String csv = api.get("/api/batches/" + id + "/results.csv").raw().body();
        return CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(new StringReader(csv)).getRecords();
    }

    static void assertEachScriptRanOnce(Api api, String id, int n) throws Exception {
        List<CSVRecord> rows = results(api, id);
        assertThat(rows).hasSize(n);
        Set<String> ids = new HashSet<>();
        for (CSVRecord row : rows) {
            int i = Integer.parseInt(row.get("file").substring(1, 4));
            assertThat(row.get("status")).as(row.get("file")).isEqualTo("completed");
            assertThat(row.get("output")).as(row.get("file")).isEqualTo(i + "\n");
            ids.add(row.get("eval_id"));
        }
        assertThat(ids).hasSize(n);
        // no evaluation was queued twice: the platform holds exactly the batch's evaluations
        assertThat(api.get("/api/evaluations?limit=1").json().get("count").asLong()).isEqualTo(n);
        assertThat(api.get("/api/evaluations?limit=1000").json().get("evaluations")).allMatch(e -> e.get("batch_id").asString().equals(id));
    }

    @Test
    void killedWhileIngestingItResumesAfterTheLastCommittedChunk() throws Exception {
        Path storage = TempStorage.create("batch-ingest-crash");
        String id;
        // slow ingestion, and no Docker yet: the kill lands in the middle of step 1
        try (PlatformProcess first = new PlatformProcess(storage, "crucible.batch.chunk-size=5",
                "crucible.batch.chunk-delay=250ms", "crucible.docker.host=unix:///nonexistent/docker.sock").start()) {
            Api api = first.api();
            Api.Response accepted = api.postFile("/api/batches", "file", "many.zip", programs(100, "print(N)"), "name", "crash in step 1");
            assertThat(accepted.status()).isEqualTo(202);
            id = accepted.text("batch_id");
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                    .until(() -> batch(api, id).get("ingested").asInt() >= 15);
            int ingested = batch(api, id).get("ingested").asInt();
            assertThat(ingested).isLessThan(100);
            first.kill9();
        }
        try (PlatformProcess second = new PlatformProcess(storage).start()) {
            Api api = second.api();
            await().atMost(Duration.ofSeconds(180)).until(() -> "completed".equals(batch(api, id).get("status").asString()));
            JsonNode done = batch(api, id);
            assertThat(done.get("total").asInt()).isEqualTo(100);
            assertThat(done.get("completed").asInt()).isEqualTo(100);
            assertEachScriptRanOnce(api, id, 100);
            assertThat(second.log()).contains("was interrupted by a restart of the platform").contains("restarted");
        }
    }

    @Test
    void killedWhileWaitingForItsEvaluationsItResumesAndRunsNothingTwice() throws Exception {
        Path storage = TempStorage.create("batch-await-crash");
        String id;
        try (PlatformProcess first = new PlatformProcess(storage, "crucible.worker.concurrency=2").start()) {
            Api api = first.api();
            id = api.postFile("/api/batches", "file", "slow.zip", programs(30, "import time\ntime.sleep(0.3)\nprint(N)"))
                    .text("batch_id");
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(100))
                    .until(() -> batch(api, id).get("completed").asInt() >= 5);
            JsonNode before = batch(api, id);
            assertThat(before.get("ingested").asInt()).isEqualTo(30);
            assertThat(before.get("completed").asInt()).isLessThan(30);
            first.kill9();
        }
        try (PlatformProcess second = new PlatformProcess(storage, "crucible.worker.concurrency=2").start()) {
            Api api = second.api();
            await().atMost(Duration.ofSeconds(180)).until(() -> "completed".equals(batch(api, id).get("status").asString()));
            assertEachScriptRanOnce(api, id, 30);
        }
    }
}
