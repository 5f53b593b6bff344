package dev.crucible.evaluation;

/**
 * What became of an evaluation's compile stage (compiled languages only): the compiler's combined
 * output, its exit code (null when it was killed) and what it used, measured as a run's.
 */
public record Compilation(String output, Integer exitCode, Long timeMs, Long cpuTimeMs, Long peakMemoryKb) {
}
