package dev.crucible.support;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;

/**
 * The packaged platform jar running as a real operating-system process, so a test can kill it
 * with SIGKILL (kill -9) or stop it with SIGTERM and start it again on the same storage.
 */
public final class PlatformProcess implements AutoCloseable {

    private final Path storage;
    private final List<String> settings;
    private final int port;
    private final Path log;
    private Process process;

    public PlatformProcess(Path storage, String... settings) {
        this.storage = storage;
        this.settings = List.of(settings);
        this.port = freePort();
        this.log = storage.resolve("platform.log");
    }

    public PlatformProcess start() {
        String jar = System.getProperty("crucible.jar");
        if (jar == null || !new File(jar).isFile()) {
            throw new IllegalStateException("the packaged jar is missing (crucible.jar=" + jar + "); run through mvn verify");
        }
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar,
                "--server.port=" + port, "--crucible.storage-dir=" + storage));
        settings.forEach(s -> command.add("--" + s));
        try {
            process = new ProcessBuilder(command)
                    .directory(storage.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Api api = api();
        Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                .until(() -> {
                    if (!process.isAlive()) {
                        throw new IllegalStateException("the platform exited at start-up; see " + log);
                    }
                    return api.get("/health").status() > 0;
                });
        return this;
    }

    public Api api() {
        return new Api("http://localhost:" + port);
    }

    /** SIGKILL: no shutdown hook, no clean-up, as in a power loss of the process. */
    public void kill9() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM: a graceful stop, as systemd or docker stop do it. */
    public int stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        return process.exitValue();
    }

    public String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            stop();
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
