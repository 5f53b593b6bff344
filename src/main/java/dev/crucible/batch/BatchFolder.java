package dev.crucible.batch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

import dev.crucible.storage.StorageDirectory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Where batches keep their files: {@code crucible.batch.folder}, by default {@code batches} in the
 * storage folder. Each batch has a folder of its own (its upload, then its report); uploads
 * arrive in {@code .incoming} first. The database records an upload relative to this folder, so
 * every api process that mounts it (at any path) finds it.
 */
@Component
class BatchFolder {

    private final Path root;

    BatchFolder(BatchProperties properties, @Value("${" + StorageDirectory.PROPERTY + "}") Path storage) {
        this.root = properties.folder() != null ? properties.folder() : storage.resolve("batches");
    }

    /** The folder of one batch (not created here). */
    Path of(String batchId) {
        return root.resolve(batchId);
    }

    /** A batch's stored file, from the name the database records. */
    Path file(String recorded) {
        return root.resolve(recorded);
    }

    /** The name the database records for a file of this folder. */
    String recorded(Path file) {
        return root.relativize(file).toString();
    }

    /** A fresh path for an upload on its way in (its folder is created). */
    Path incoming() {
        try {
            Path dir = root.resolve(".incoming");
            Files.createDirectories(dir);
            return dir.resolve(UUID.randomUUID() + ".upload");
        } catch (IOException e) {
            throw new UncheckedIOException("the batch folder " + root + " is not writable", e);
        }
    }
}
