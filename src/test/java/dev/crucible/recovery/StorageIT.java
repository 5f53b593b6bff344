package dev.crucible.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import dev.crucible.support.Api;
import dev.crucible.support.PlatformProcess;
import dev.crucible.support.TempStorage;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The jar works from any working directory, and its storage folder holds its database. */
@Tag("docker")
class StorageIT {

    @Test
    void aRelativeStorageFolderIsResolvedAgainstTheWorkingDirectory() throws Exception {
        Path workDir = TempStorage.create("workdir");
        String id;
        try (PlatformProcess platform = PlatformProcess.inDirectory(workDir, "crucible.storage-dir=data").start()) {
            Api api = platform.api();
            Api.Response done = api.post("/api/eval?wait=true", "{\"code\": \"print('kept')\"}");
            assertThat(done.status()).isEqualTo(200);
            id = done.text("eval_id");
        }
        assertThat(Files.exists(workDir.resolve("data/crucible.mv.db"))).isTrue();
        try (PlatformProcess again = PlatformProcess.inDirectory(workDir, "crucible.storage-dir=data").start()) {
            assertThat(again.api().get("/api/eval/" + id).text("output")).isEqualTo("kept\n");
        }
    }

    @Test
    void theDefaultStorageFolderIsStorageInTheWorkingDirectory() throws Exception {
        Path workDir = TempStorage.create("default-storage");
        try (PlatformProcess platform = PlatformProcess.inDirectory(workDir).start()) {
            assertThat(platform.api().get("/health").json().get("services").get("database").asString()).isEqualTo("healthy");
        }
        assertThat(Files.exists(workDir.resolve("storage/crucible.mv.db"))).isTrue();
    }
}
