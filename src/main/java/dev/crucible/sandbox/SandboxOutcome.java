package dev.crucible.sandbox;

import java.time.Instant;

/**
 * What became of one run.
 *
 * @param output stdout and stderr in the order their chunks arrived from the daemon
 * @param failureReason machine-readable cause when the run did not complete: {@code nonzero_exit},
 *                      {@code memory_limit}, {@code output_limit}, {@code timeout},
 *                      {@code process_limit}, {@code cancelled}
 * @param error the platform's own explanation (null when the program's stderr says it all)
 * @param runtimeMs the program's run time: as the launcher measured it (its start to its exit) when
 *                  it ended by itself, else as the daemon did (the container's start to the freeze or kill)
 * @param cpuTimeMs user + system CPU time of the program and its waited-for descendants, as the
 *                  launcher measured it inside the container; null when it was killed or never ran
 * @param peakMemoryKb the largest resident size among them, in KiB; null likewise
 * @param imageId the id of the image the container really ran on
 * @param files what the launcher sent back from the request's collected folder
 * @param notes what it left out of them, and why
 * @param cases how each test case went, in order (fewer than asked when the run ended early)
 */
public record SandboxOutcome(
        Kind kind,
        Integer exitCode,
        String stdout,
        String stderr,
        String output,
        boolean outputTruncated,
        String failureReason,
        String error,
        Long runtimeMs,
        Long cpuTimeMs,
        Long peakMemoryKb,
        Instant startedAt,
        Instant finishedAt,
        String image,
        String imageId,
        java.util.List<CollectedFile> files,
        java.util.List<String> notes,
        java.util.List<CaseOutcome> cases) {

    /**
     * One test case's run, as the launcher reported it.
     *
     * @param exitCode the program's, or 128 + the signal that ended it
     * @param timedOut killed at the case's time limit
     * @param outputLimited killed at the output limit (its output is cut)
     */
    public record CaseOutcome(int index, Integer exitCode, boolean signalled, boolean timedOut, boolean outputLimited,
            String stdout, String stderr, boolean truncated, Long runtimeMs, Long cpuTimeMs, Long peakMemoryKb) {
    }

    public SandboxOutcome {
        files = files == null ? java.util.List.of() : java.util.List.copyOf(files);
        notes = notes == null ? java.util.List.of() : java.util.List.copyOf(notes);
        cases = cases == null ? java.util.List.of() : java.util.List.copyOf(cases);
    }

    public enum Kind { COMPLETED, FAILED, TIMEOUT, CANCELLED }
}
