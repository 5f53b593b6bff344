package dev.crucible.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A fresh storage folder for one test application (its own H2 database). */
public final class TempStorage {

    private TempStorage() {
    }

    public static Path create(String name) {
        try {
            Path root = Path.of(System.getProperty("java.io.tmpdir"), "crucible-tests");
            Files.createDirectories(root);
            return Files.createTempDirectory(root, name + "-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
