package dev.crucible.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Turns {@code crucible.storage-dir} (CRUCIBLE_STORAGE_DIR, default {@code ./storage}) into an
 * absolute path and creates the folder before anything opens the database, so the jar works
 * from any working directory and H2 never sees an implicitly relative path.
 */
public class StorageDirectory implements EnvironmentPostProcessor, Ordered {

    public static final String PROPERTY = "crucible.storage-dir";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        String configured = environment.getProperty(PROPERTY, "./storage");
        Path dir = Path.of(configured).toAbsolutePath().normalize();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the storage folder " + dir, e);
        }
        environment.getPropertySources().addFirst(
                new MapPropertySource("crucibleStorageDirectory", Map.of(PROPERTY, dir.toString())));
    }

    @Override
    public int getOrder() {
        // after the config files and the environment have been read
        return Ordered.LOWEST_PRECEDENCE;
    }
}
