package dev.crucible.evaluation;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The JSON shapes of the REST API, wire-compatible with the original Crucible platform
 * (snake_case on the wire through the global naming strategy). Text fields are never null in
 * responses: clients of the original concatenate {@code error + output}.
 */
final class ApiModels {

    private ApiModels() {
    }

    /** POST /api/eval. Unknown fields (engine, debug, executor_image...) are accepted and ignored. */
    record SubmitRequest(String code, String language, Integer timeout, String memoryLimit, String cpuLimit,
            String stdin, Object priority, Object args, String expectedOutput, String compareMode, Double tolerance,
            Object files, String executorImage, Integer compileTimeout, Object testCases, String callbackUrl) {
    }

    record SubmitResponse(String evalId, String status, String message, Long queuePosition) {
    }

    record LimitsView(int timeout, String memoryLimit, String cpuLimit, long memoryBytes, double cpus) {
        static LimitsView of(Limits l) {
            return new LimitsView(l.timeoutSeconds(), l.memoryQuantity(), l.cpuQuantity(), l.memoryBytes(),
                    l.nanoCpus() / 1e9);
        }
    }

    record EvaluationView(
            String evalId,
            String status,
            String language,
            String createdAt,
            String startedAt,
            String completedAt,
            Long runtimeMs,
            Long cpuTimeMs,
            Long peakMemoryKb,
            Integer exitCode,
            boolean success,
            String output,
            String stdout,
            String stderr,
            String error,
            boolean outputTruncated,
            String failureReason,
            String image,
            String imageDigest,
            LimitsView limits,
            Long queuePosition,
            int priority,
            String batchId,
            int attempts,
            String code,
            String stdin,
            List<String> args,
            String expectedOutput,
            String compareMode,
            Double tolerance,
            String verdict,
            List<ProgramFile> files,
            Integer compileTimeout,
            String compileOutput,
            Integer compileExitCode,
            Long compileTimeMs,
            Long compileCpuTimeMs,
            Long compilePeakMemoryKb,
            List<TestCase> testCases,
            List<TestResult> testResults,
            Integer testsPassed,
            Integer testsTotal,
            String callbackUrl,
            Callback.View callback) {

        static EvaluationView of(Evaluation e, Long queuePosition) {
            Compilation c = e.compilation();
            return new EvaluationView(e.id(), e.status().wire(), e.language(), iso(e.createdAt()), iso(e.startedAt()),
                    iso(e.completedAt()), e.runtimeMs(), e.cpuTimeMs(), e.peakMemoryKb(), e.exitCode(),
                    e.status() == EvaluationStatus.COMPLETED, text(e.output()), text(e.stdout()), text(e.stderr()), errorText(e), e.outputTruncated(),
                    e.failureReason(), e.image(), e.imageDigest(), LimitsView.of(e.limits()), queuePosition,
                    e.priority(), e.batchId(), e.attempts(), e.code(), text(e.stdin()), e.args(),
                    e.expectation() == null ? null : e.expectation().expected(),
                    e.expectation() == null ? null : e.expectation().mode().wire(),
                    e.expectation() == null ? null : e.expectation().tolerance(), e.verdict(), e.files(),
                    e.compileTimeoutSeconds(), c == null ? null : c.output(), c == null ? null : c.exitCode(),
                    c == null ? null : c.timeMs(), c == null ? null : c.cpuTimeMs(), c == null ? null : c.peakMemoryKb(),
                    e.testCases().isEmpty() ? null : e.testCases(), e.testCases().isEmpty() ? null : e.testResults(),
                    e.testsPassed(), e.testsTotal(), e.callback() == null ? null : e.callback().url(),
                    Callback.View.of(e.callback()));
        }
    }

    /** GET /api/eval/{id}/status and the legacy /api/eval-status/{id}. */
    record StatusView(String evalId, String status, String createdAt, String completedAt, String output, String error,
            boolean success, Long queuePosition) {
        static StatusView of(Evaluation e, Long queuePosition) {
            return new StatusView(e.id(), e.status().wire(), iso(e.createdAt()), iso(e.completedAt()), text(e.output()),
                    errorText(e), e.status() == EvaluationStatus.COMPLETED, queuePosition);
        }
    }

    record LogsView(String evalId, String status, String output, String stdout, String stderr, String error,
            boolean isRunning, Integer exitCode, boolean outputTruncated, String source, String startedAt,
            String completedAt, Long runtimeMs, String lastUpdate) {
        static LogsView of(Evaluation e) {
            Instant last = e.completedAt() != null ? e.completedAt() : e.startedAt() != null ? e.startedAt() : e.createdAt();
            return new LogsView(e.id(), e.status().wire(), text(e.output()), text(e.stdout()), text(e.stderr()), errorText(e),
                    e.status() == EvaluationStatus.RUNNING, e.exitCode(), e.outputTruncated(), "database",
                    iso(e.startedAt()), iso(e.completedAt()), e.runtimeMs(), iso(last));
        }
    }

    record SummaryView(String evalId, String status, String language, String createdAt, String startedAt,
            String completedAt, Long runtimeMs, Long cpuTimeMs, Long peakMemoryKb, Integer exitCode, boolean success,
            String failureReason, String codePreview, int priority, String batchId) {
        static SummaryView of(EvaluationSummary s) {
            return new SummaryView(s.id(), s.status().wire(), s.language(), iso(s.createdAt()), iso(s.startedAt()),
                    iso(s.completedAt()), s.runtimeMs(), s.cpuTimeMs(), s.peakMemoryKb(), s.exitCode(),
                    s.status() == EvaluationStatus.COMPLETED, s.failureReason(), s.codePreview(), s.priority(), s.batchId());
        }
    }

    record ListView(List<SummaryView> evaluations, long count, int limit, long offset, boolean hasMore) {
    }

    record CancelView(String evalId, String status, String message) {
    }

    record QueueStatusView(long queued, long processing, long queueLength, long totalTasks, long maxQueueSize,
            @JsonInclude(JsonInclude.Include.ALWAYS) String error) {
    }

    record StatisticsView(long totalEvaluations, Map<String, Long> byStatus, Map<String, Long> byLanguage,
            Double averageRuntimeMs, Long p95RuntimeMs, double successRate,
            @JsonProperty("last_24h_count") long last24hCount, HistoryView history) {
    }

    /**
     * How far back history goes: kept for {@code keptFor} ("90 days", "forever"); evaluations
     * created before {@code since} are deleted (null: none are); the oldest one still kept.
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record HistoryView(String keptFor, Long maxAgeSeconds, String since, String oldestEvaluation) {
    }

    static String iso(Instant instant) {
        return instant == null ? null : instant.toString();
    }

    static String text(String value) {
        return value == null ? "" : value;
    }

    /** The platform's own explanation if it has one, else what the program wrote to stderr. */
    static String errorText(Evaluation e) {
        if (e.error() != null && !e.error().isEmpty()) {
            return e.error();
        }
        return text(e.stderr());
    }
}
