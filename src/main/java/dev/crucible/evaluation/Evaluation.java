package dev.crucible.evaluation;

import java.time.Instant;
import java.util.List;

/**
 * One evaluation: a row of the queue while it waits, of the history once it has ended.
 *
 * @param seq strict submission order (ties of {@code createdAt} cannot reorder the queue)
 * @param workerId the worker that claimed it (while running)
 * @param attempts how often a container was started for it (more than one only after a crash)
 * @param error the platform's own explanation of a failure, if any
 * @param compileTimeoutSeconds the compile stage's time limit (null for languages that do not compile)
 * @param compilation what became of the compile stage (null until it ran, and for the others)
 * @param callback where its end is POSTed and how that stands (null: nobody asked)
 */
public record Evaluation(
        String id,
        long seq,
        EvaluationStatus status,
        String language,
        String code,
        String stdin,
        Limits limits,
        int priority,
        String batchId,
        Instant createdAt,
        Instant startedAt,
        Instant completedAt,
        Long runtimeMs,
        Long cpuTimeMs,
        Long peakMemoryKb,
        Integer exitCode,
        String output,
        String stdout,
        String stderr,
        String error,
        boolean outputTruncated,
        String failureReason,
        String image,
        String imageDigest,
        String workerId,
        Instant heartbeatAt,
        int attempts,
        boolean cancelRequested,
        List<String> args,
        OutputComparison expectation,
        List<ProgramFile> files,
        Integer compileTimeoutSeconds,
        Compilation compilation,
        List<TestCase> testCases,
        List<TestResult> testResults,
        Callback callback) {

    /**
     * passed, wrong_answer or error once ended; null while running or when no output is expected.
     * With test cases: passed only when every case passed, error when one did not complete (or the
     * evaluation ended before running them), wrong_answer otherwise.
     */
    public String verdict() {
        if (!testCases.isEmpty()) {
            if (!status.isTerminal()) {
                return null;
            }
            return TestResult.overall(testResults, testCases.size());
        }
        return expectation == null ? null : expectation.verdict(status, stdout);
    }

    /** The verdict this evaluation gets from a result of its run (what its worker records). */
    public String verdictFor(EvaluationResult r) {
        if (!testCases.isEmpty()) {
            return TestResult.overall(r.testResults(), testCases.size());
        }
        return expectation == null ? null : expectation.verdict(r.status(), r.stdout());
    }

    public Integer testsPassed() {
        return testCases.isEmpty() || !status.isTerminal() ? null : (int) testResults.stream().filter(TestResult::passed).count();
    }

    /**
     * The longest the run may take: its timeout, or with test cases each case's timeout plus a
     * second for starting it, and ten seconds over all.
     */
    public java.time.Duration runBound() {
        return testCases.isEmpty() ? limits.timeout()
                : limits.timeout().plusSeconds(1).multipliedBy(testCases.size()).plusSeconds(10);
    }

    public Integer testsTotal() {
        return testCases.isEmpty() ? null : testCases.size();
    }
}
