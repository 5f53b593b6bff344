package dev.crucible.dispatch;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.crucible.evaluation.EvaluationResult;
import dev.crucible.evaluation.EvaluationStatus;
import dev.crucible.evaluation.TestCase;
import dev.crucible.evaluation.TestResult;
import dev.crucible.sandbox.SandboxOutcome;

/** Judges each test case from what the launcher reported of its run. */
final class TestResults {

    private TestResults() {
    }

    static EvaluationResult of(List<TestCase> cases, SandboxOutcome outcome, EvaluationResult run) {
        Map<Integer, SandboxOutcome.CaseOutcome> ran = new HashMap<>();
        outcome.cases().forEach(c -> ran.put(c.index(), c));
        List<TestResult> results = new ArrayList<>();
        StringBuilder summary = new StringBuilder();
        for (int i = 0; i < cases.size(); i++) {
            TestCase c = cases.get(i);
            SandboxOutcome.CaseOutcome r = ran.get(i);
            TestResult result = r == null
                    ? new TestResult(c.name(), "error", "not_run", null, "", "", false, null, null, null)
                    : judge(c, r);
            results.add(result);
            summary.append(result.name()).append(": ").append(result.verdict());
            if (result.failureReason() != null) {
                summary.append(" (").append(result.failureReason()).append(')');
            }
            summary.append('\n');
        }
        long passed = results.stream().filter(TestResult::passed).count();
        summary.append(passed).append(" of ").append(results.size()).append(" test cases passed\n");
        return run.withTestResults(results, summary.toString());
    }

    private static TestResult judge(TestCase c, SandboxOutcome.CaseOutcome r) {
        String reason;
        EvaluationStatus status;
        if (r.timedOut()) {
            reason = "timeout";
            status = EvaluationStatus.TIMEOUT;
        } else if (r.outputLimited()) {
            reason = "output_limit";
            status = EvaluationStatus.FAILED;
        } else if (r.signalled() && r.exitCode() != null && r.exitCode() == 128 + 9) {
            // SIGKILL that the launcher did not send: the kernel's out-of-memory killer
            reason = "memory_limit";
            status = EvaluationStatus.FAILED;
        } else if (r.exitCode() == null || r.exitCode() != 0) {
            reason = "nonzero_exit";
            status = EvaluationStatus.FAILED;
        } else {
            reason = null;
            status = EvaluationStatus.COMPLETED;
        }
        return new TestResult(c.name(), c.verdict(status, r.stdout()), reason, r.exitCode(), r.stdout(), r.stderr(),
                r.truncated(), r.runtimeMs(), r.cpuTimeMs(), r.peakMemoryKb());
    }
}
