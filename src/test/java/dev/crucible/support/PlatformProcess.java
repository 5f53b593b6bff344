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

    private final Path workingDirectory;
    private final List<String> settings;
    private final int port;
    private final Path log;
    private Process process;

    /** The platform on {@code storage} (an absolute path), started in that folder. */
    public PlatformProcess(Path storage, String... settings) {
        this(storage, withStorage(storage, settings));
    }

    private PlatformProcess(Path workingDirectory, List<String> settings) {
        this.workingDirectory = workingDirectory;
        this.settings = settings;
        this.port = freePort();
        this.log = workingDirectory.resolve("platform.log");
    }

    /** The platform started in {@code workingDirectory} with only these settings (no storage folder given). */
    public static PlatformProcess inDirectory(Path workingDirectory, String... settings) {
        return new PlatformProcess(workingDirectory, List.of(settings));
    }

    private static List<String> withStorage(Path storage, String... settings) {
        List<String> all = new ArrayList<>();
        all.add("crucible.storage-dir=" + storage);
        all.addAll(List.of(settings));
        return all;
    }

    public PlatformProcess start() {
        String jar = System.getProperty("crucible.jar");
        if (jar == null || !new File(jar).isFile()) {
            throw new IllegalStateException("the packaged jar is missing (crucible.jar=" + jar + "); run through mvn verify");
        }
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:+ExitOnOutOfMemoryError", "-jar", jar,
                "--server.port=" + port));
        settings.forEach(s -> command.add("--" + s));
        try {
            process = new ProcessBuilder(command)
                    .directory(workingDirectory.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Api api = api();
        // until it answers, or exits (then at once, not after the whole wait)
        Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                .until(() -> !process.isAlive() || answers(api));
        if (!process.isAlive()) {
            throw new IllegalStateException("the platform exited at start-up (exit code " + process.exitValue() + "); see " + log);
        }
        return this;
    }

    private static boolean answers(Api api) {
        try {
            return api.get("/health").status() > 0;
        } catch (RuntimeException notYet) {
            return false; // not listening yet
        }
    }

    public long pid() {
        return process.pid();
    }

    /** The folder the process was started in (its storage folder, unless made with inDirectory). */
    public Path storage() {
        return workingDirectory;
    }

    public int port() {
        return port;
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

    /**
     * Writes the process's threads (jcmd Thread.print) next to its log, for a test that found it
     * stuck; returns where, or why not.
     */
    public String threadDump() {
        Path dump = log.resolveSibling("threads-" + System.currentTimeMillis() + ".txt");
        try {
            Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                    Long.toString(pid()), "Thread.print").redirectErrorStream(true).redirectOutput(dump.toFile()).start();
            jcmd.waitFor(30, TimeUnit.SECONDS);
            return dump.toString();
        } catch (IOException e) {
            return "no thread dump: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "no thread dump: interrupted";
        }
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

    /** A TCP port nothing listens on right now. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
