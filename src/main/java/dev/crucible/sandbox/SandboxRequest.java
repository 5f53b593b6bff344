package dev.crucible.sandbox;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.crucible.runtime.Language;

/**
 * Everything one run needs. The code and stdin travel as files in the container's {@code /code}
 * volume, never on a command line or through a shell.
 *
 * @param containerName unique, readable name ({@code python-eval-<id>}); a second container of
 *                      the same evaluation cannot exist beside it
 * @param labels put on the container; the orphan reaper finds containers by them
 * @param stage whether this container compiles the program or runs it
 * @param build what the compile stage wrote, put read-only in {@link Language#BUILD_DIR} of a run
 * @param collect a folder whose files come back with the outcome (the compiler's output, say), or null
 * @param cases test cases: the program runs once per case, each within {@code caseTimeout} (then
 *              {@code timeout} bounds them all); empty for one plain run
 */
public record SandboxRequest(
        String containerName,
        Language language,
        String code,
        String stdin,
        long memoryBytes,
        long nanoCpus,
        Duration timeout,
        Map<String, String> labels,
        List<String> args,
        Map<String, String> files,
        Stage stage,
        List<CollectedFile> build,
        Collect collect,
        List<Case> cases,
        Duration caseTimeout) {

    /** Where a program may leave files that come back with its result ({@code $CRUCIBLE_OUTPUT_DIR}). */
    public static final String OUTPUT_DIR = "/out";

    public enum Stage { COMPILE, RUN }

    /** One test case's input: its stdin and the arguments after the language's command. */
    public record Case(String stdin, List<String> args) {
        public Case {
            stdin = stdin == null ? "" : stdin;
            args = args == null ? List.of() : List.copyOf(args);
        }
    }

    /**
     * A folder of the container (a tmpfs of {@code maxBytes}) whose regular files the launcher sends
     * back after the program, at most {@code maxFiles} of them and {@code maxBytes} in all.
     */
    public record Collect(String dir, int maxFiles, long maxBytes) {
    }

    public SandboxRequest(String containerName, Language language, String code, String stdin, long memoryBytes, long nanoCpus,
            Duration timeout, Map<String, String> labels) {
        this(containerName, language, code, stdin, memoryBytes, nanoCpus, timeout, labels, List.of(), Map.of());
    }

    public SandboxRequest(String containerName, Language language, String code, String stdin, long memoryBytes, long nanoCpus,
            Duration timeout, Map<String, String> labels, List<String> args, Map<String, String> files) {
        this(containerName, language, code, stdin, memoryBytes, nanoCpus, timeout, labels, args, files, Stage.RUN, List.of(), null,
                List.of(), null);
    }

    public SandboxRequest {
        labels = Map.copyOf(labels);
        args = args == null ? List.of() : List.copyOf(args);
        files = files == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(files));
        stdin = stdin == null ? "" : stdin;
        stage = stage == null ? Stage.RUN : stage;
        build = build == null ? List.of() : List.copyOf(build);
        cases = cases == null ? List.of() : List.copyOf(cases);
    }

    /** The compile stage of this program: its own container, limits and time. */
    public SandboxRequest compile(long memory, Duration time, Collect output) {
        return new SandboxRequest(containerName, language, code, "", memory, nanoCpus, time, labels, List.of(), files,
                Stage.COMPILE, List.of(), output, List.of(), null);
    }

    /** This request under the name and labels its backend gives it. */
    public SandboxRequest named(String name, Map<String, String> containerLabels) {
        return new SandboxRequest(name, language, code, stdin, memoryBytes, nanoCpus, timeout, containerLabels, args, files,
                stage, build, collect, cases, caseTimeout);
    }

    /** This run under the OCI runtime {@code runtime} (runc, runsc), whatever its language's. */
    public SandboxRequest onRuntime(String runtime) {
        return new SandboxRequest(containerName, language.onRuntime(runtime), code, stdin, memoryBytes, nanoCpus, timeout, labels,
                args, files, stage, build, collect, cases, caseTimeout);
    }

    /** This run with the compiled program in place. */
    public SandboxRequest withBuild(List<CollectedFile> compiled) {
        return new SandboxRequest(containerName, language, code, stdin, memoryBytes, nanoCpus, timeout, labels, args, files,
                stage, compiled, collect, cases, caseTimeout);
    }

    /** This run as test cases, each within {@code each}; {@code total} bounds them all. */
    public SandboxRequest withCases(List<Case> testCases, Duration each, Duration total) {
        return new SandboxRequest(containerName, language, code, stdin, memoryBytes, nanoCpus, total, labels, args, files,
                stage, build, collect, testCases, each);
    }

    /** The name the program's code is written to in {@code /code}. */
    public String programFile() {
        return language.fileNameFor(code);
    }

    /** The argument vector the launcher runs. */
    public List<String> command() {
        return stage == Stage.COMPILE ? language.compileCommand(programFile(), files.keySet())
                : language.runCommand(code, args);
    }
}
