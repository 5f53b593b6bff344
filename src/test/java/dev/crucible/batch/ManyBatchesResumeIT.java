package dev.crucible.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.crucible.support.Api;
import dev.crucible.support.Archives;
import dev.crucible.support.PlatformProcess;
import dev.crucible.support.TempStorage;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A start-up that finds more interrupted batches than there are job threads resumes every one of
 * them at once (the rest wait in line, the start-up does not) and all of them finish.
 */
@Tag("docker")
class ManyBatchesResumeIT {

    static final int BATCHES = 20;
    static final int PROGRAMS = 10;
    static final int JOB_THREADS = 3;
    static final String INTERRUPTED = "was interrupted by a restart of the platform";
    static final String RESUMED = " restarted (job execution ";

    static int occurrences(String text, String part) {
        return text.split(java.util.regex.Pattern.quote(part), -1).length - 1;
    }

    @Test
    void moreBatchesToResumeThanJobThreadsAreAllResumedAtOnceAndFinish() throws Exception {
        Path storage = TempStorage.create("many-batches-resume");
        List<String> ids = new ArrayList<>();
        // slow ingestion and no Docker: every batch is still in its job when the platform dies
        try (PlatformProcess first = new PlatformProcess(storage, "crucible.batch.chunk-size=5",
                "crucible.batch.chunk-delay=2s", "crucible.docker.host=unix:///nonexistent/docker.sock").start()) {
            Api api = first.api();
            for (int i = 0; i < BATCHES; i++) {
                java.util.Map<String, String> programs = new java.util.LinkedHashMap<>();
                for (int p = 0; p < PROGRAMS; p++) {
                    programs.put("p" + p + ".py", "print(" + p + ")");
                }
                Api.Response accepted = api.postFile("/api/batches", "file", "b" + i + ".zip", Archives.zip(programs));
                assertThat(accepted.status()).as(accepted.toString()).isEqualTo(202);
                ids.add(accepted.text("batch_id"));
            }
            first.kill9();
        }
        try (PlatformProcess second = new PlatformProcess(storage, "crucible.batch.job-concurrency=" + JOB_THREADS,
                "crucible.worker.concurrency=4").start()) {
            Api api = second.api();
            // more batches to resume than job threads: the start-up hands each to the line and goes on
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).until(() -> {
                String log = second.log();
                int interrupted = occurrences(log, INTERRUPTED);
                return interrupted > JOB_THREADS && occurrences(log, RESUMED) == interrupted;
            });
            for (String id : ids) {
                await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(250))
                        .until(() -> "completed".equals(api.get("/api/batches/" + id).text("status")));
                assertThat(api.get("/api/batches/" + id).json().get("completed").asInt()).isEqualTo(PROGRAMS);
            }
            // every script ran exactly once
            assertThat(api.get("/api/evaluations?limit=1").json().get("count").asLong()).isEqualTo((long) PROGRAMS * BATCHES);
        }
    }
}
