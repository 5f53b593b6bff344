package dev.crucible.evaluation;

/**
 * How one test case went.
 *
 * @param verdict {@code passed}, {@code wrong_answer} or {@code error} (it did not complete)
 * @param failureReason why it did not complete: {@code nonzero_exit}, {@code timeout},
 *                      {@code memory_limit}, {@code output_limit}, or {@code not_run} when the
 *                      evaluation ended before this case's turn; null when it completed
 */
public record TestResult(String name, String verdict, String failureReason, Integer exitCode, String stdout, String stderr,
        boolean outputTruncated, Long runtimeMs, Long cpuTimeMs, Long peakMemoryKb) {

    public boolean passed() {
        return "passed".equals(verdict);
    }

    /** The evaluation's verdict over its cases: passed when all passed, error when one did not complete. */
    static String overall(java.util.List<TestResult> results) {
        if (results.stream().allMatch(TestResult::passed)) {
            return "passed";
        }
        return results.stream().anyMatch(r -> "error".equals(r.verdict())) ? "error" : "wrong_answer";
    }
}
