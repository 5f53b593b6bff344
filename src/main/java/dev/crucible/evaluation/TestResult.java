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

    /**
     * The evaluation's verdict over its {@code cases} cases: passed when all passed, error when one
     * did not complete (or fewer results than cases: the evaluation ended before them).
     */
    static String overall(java.util.List<TestResult> results, int cases) {
        if (results.size() < cases) {
            return "error";
        }
        if (results.stream().allMatch(TestResult::passed)) {
            return "passed";
        }
        return results.stream().anyMatch(r -> "error".equals(r.verdict())) ? "error" : "wrong_answer";
    }
}
