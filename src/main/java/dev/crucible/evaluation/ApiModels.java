package dev.crucible.evaluation;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * The JSON shapes of the REST API, wire-compatible with the original Crucible platform
 * (snake_case on the wire through the global naming strategy). Text fields are never null in
 * responses: clients of the original concatenate {@code error + output}.
 */
final class ApiModels {

    private ApiModels() {
    }

    /** POST /api/eval. Unknown fields (engine, debug, executor_image...) are accepted and ignored. */
    @Schema(name = "Submission", additionalProperties = Schema.AdditionalPropertiesValue.TRUE,
            description = "An evaluation to run. Fields the platform does not know (the original API's engine, debug...) "
                    + "are accepted and ignored.")
    record SubmitRequest(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "The program (at most crucible.limits.max-code-size)",
                    example = "print('Hello from Docker!')") String code,
            @Schema(description = "A language of GET /api/languages, by name or alias", defaultValue = "python") String language,
            @Schema(description = "Seconds the program may run (for test cases: each case); a string of digits is taken too",
                    example = "30", types = {"integer", "string"}) Integer timeout,
            @Schema(description = "Memory limit as a Kubernetes quantity", example = "100Mi") String memoryLimit,
            @Schema(description = "CPU limit as a Kubernetes quantity", example = "500m") String cpuLimit,
            @Schema(description = "What the program reads on stdin") String stdin,
            @Schema(description = "Higher runs first, from -10000 to 10000 (an integer; also as a string of one, or a boolean "
                    + "as 1 or 0, as the original API took it)", example = "0", types = {"integer", "string", "boolean"})
            Object priority,
            @ArraySchema(schema = @Schema(type = "string"), arraySchema = @Schema(description = "Arguments after the "
                    + "language's command, as given (never through a shell)", example = "[\"--x=1\"]")) Object args,
            @Schema(description = "The output expected: the evaluation gets a verdict") String expectedOutput,
            @Schema(description = "How the output is compared", allowableValues = {"trim", "exact", "tokens", "numeric"},
                    defaultValue = "trim") String compareMode,
            @Schema(description = "For compare_mode numeric") Double tolerance,
            @ArraySchema(schema = @Schema(implementation = ProgramFile.class), arraySchema = @Schema(
                    description = "Files beside the program")) Object files,
            @Schema(description = "The original API's way to choose a runtime: a configured language's name, alias or image")
            String executorImage,
            @Schema(description = "Seconds a compiled language's compiler may run", types = {"integer", "string"})
            Integer compileTimeout,
            @ArraySchema(schema = @Schema(implementation = TestCase.class), arraySchema = @Schema(
                    description = "Run the program once per case, each with its stdin, arguments and expected output"))
            Object testCases,
            @Schema(description = "Called with the evaluation (the GET document) once it has ended; see the README's Webhooks",
                    example = "https://example.com/hooks/crucible") String callbackUrl) {
    }

    @Schema(name = "Queued", description = "The answer to a submission: the evaluation is queued")
    record SubmitResponse(@Schema(example = "20261129_065429_f433fc80") String evalId,
            @Schema(example = "queued") String status,
            @Schema(example = "Evaluation queued successfully") String message,
            @Schema(example = "1") Long queuePosition) {
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
