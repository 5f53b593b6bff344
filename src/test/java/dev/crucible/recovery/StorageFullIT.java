package dev.crucible.recovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import dev.crucible.support.Api;
import dev.crucible.support.Commands;
import dev.crucible.support.PlatformProcess;
import dev.crucible.support.TempStorage;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The storage folder on a small tmpfs, filled for real (to the last byte): submissions get a
 * clear 503 "storage full", health says so, what was stored stays readable (also after a
 * restart), and everything works again once space is freed. Needs root for the mount (the test
 * command runs as root).
 */
@Tag("docker")
class StorageFullIT {

    static void mountTmpfs(Path dir, String size) throws Exception {
        Commands.Result mounted = Commands.run(Map.of(), Duration.ofSeconds(30),
                "mount", "-t", "tmpfs", "-o", "size=" + size + ",mode=0755", "tmpfs", dir.toString());
        assertThat(mounted.exit()).as("mount a tmpfs (the tests run as root): " + mounted.output()).isZero();
    }

    /** Writes until the file system says no more: the folder is really full. */
    static void fill(Path file) throws IOException {
        byte[] block = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(file)) {
            while (true) {
                out.write(block);
            }
        } catch (IOException full) {
            assertThat(full.getMessage()).containsIgnoringCase("space");
        }
        try (OutputStream out = Files.newOutputStream(file, java.nio.file.StandardOpenOption.APPEND)) {
            for (int i = 0; i < 1 << 20; i++) {
                out.write(0);
                out.flush();
            }
        } catch (IOException full) {
            // the last page is taken too
        }
    }

    @Test
    void aFullStorageFolderRefusesSubmissionsClearlyAndRecoversWhenSpaceIsFreed() throws Exception {
        Path work = TempStorage.create("storage-full");
        Path storage = Files.createDirectories(work.resolve("data"));
        mountTmpfs(storage, "96m");
        try {
            String kept;
            try (PlatformProcess platform = PlatformProcess.inDirectory(work, "crucible.storage-dir=" + storage).start()) {
                Api api = platform.api();
                Api.Response done = api.post("/api/eval?wait=true", "{\"code\": \"print('kept')\"}");
                assertThat(done.status()).as(done.toString()).isEqualTo(200);
                kept = done.text("eval_id");

                Path filler = storage.resolve("filler");
                fill(filler);
                Api.Response refused = api.post("/api/eval", "{\"code\": \"print('too much')\"}");
                assertThat(refused.status()).as(refused.toString()).isEqualTo(503);
                assertThat(refused.text("detail")).contains("storage full");
                assertThat(refused.header("Retry-After")).isNotNull();
                Api.Response health = api.get("/health");
                assertThat(health.status()).isEqualTo(503);
                assertThat(health.json().get("services").get("storage").asString()).startsWith("full");
                assertThat(api.get("/api/eval/" + kept).text("output")).isEqualTo("kept\n");
                assertThat(api.get("/api/evaluations").status()).isEqualTo(200);

                Files.delete(filler);
                await().atMost(Duration.ofSeconds(30)).until(() -> api.get("/health").status() == 200);
                Api.Response again = api.post("/api/eval?wait=true", "{\"code\": \"print('room again')\"}");
                assertThat(again.status()).as(again.toString()).isEqualTo(200);
                assertThat(again.text("output")).isEqualTo("room again\n");
            }
            // nothing already stored was damaged: a new process reads it all
            try (PlatformProcess restarted = PlatformProcess.inDirectory(work, "crucible.storage-dir=" + storage).start()) {
                assertThat(restarted.api().get("/api/eval/" + kept).text("output")).isEqualTo("kept\n");
                assertThat(restarted.api().get("/api/evaluations").json().get("count").asLong()).isEqualTo(2);
            }
        } finally {
            Commands.run(Map.of(), Duration.ofSeconds(30), "umount", "-l", storage.toString());
        }
    }
}
