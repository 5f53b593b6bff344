package dev.crucible.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a command of the deployment path (a script, docker-compose, shellcheck) as an operator would. */
public final class Commands {

    public record Result(int exit, String output) {
    }

    private Commands() {
    }

    /** Runs {@code command} with {@code env} added to this process's environment; waits up to {@code timeout}. */
    public static Result run(Map<String, String> env, Duration timeout, String... command) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(env);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " did not end within " + timeout);
        }
        return new Result(process.exitValue(), output);
    }
}
