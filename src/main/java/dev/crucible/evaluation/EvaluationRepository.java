package dev.crucible.evaluation;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.json.JsonMapper;
import org.springframework.stereotype.Repository;

/**
 * The evaluation table, which is the queue and the history. Every state change is one
 * conditional UPDATE, so two workers can never both claim a row, and a worker that lost its
 * claim (it was presumed dead) can never overwrite what happened since.
 */
@Repository
public class EvaluationRepository {

    static final int PREVIEW_CHARS = 100;

    static final String SUMMARY_SELECT;

    private static final String SUMMARY_COLUMNS = """
            id, status, language, priority, batch_id, created_at, started_at, completed_at,
            runtime_ms, cpu_time_ms, peak_memory_kb, exit_code, failure_reason, SUBSTRING(code, 1, %d) AS code_preview""".formatted(PREVIEW_CHARS + 1);

    static {
        SUMMARY_SELECT = "SELECT " + SUMMARY_COLUMNS + " FROM evaluation";
    }

    private final JdbcClient jdbc;
    private final QueueDatabase queueDatabase;

    public EvaluationRepository(JdbcClient jdbc, QueueDatabase queueDatabase) {
        this.jdbc = jdbc;
        this.queueDatabase = queueDatabase;
    }

    /** A new evaluation as submitted. */
    public record NewEvaluation(String id, String language, String code, String stdin, Limits limits, int priority,
            String batchId, Instant createdAt, List<String> args, OutputComparison expectation, List<ProgramFile> files,
            Integer compileTimeoutSeconds, List<TestCase> testCases, String callbackUrl, String apiKeyId) {

        public NewEvaluation(String id, String language, String code, String stdin, Limits limits, int priority,
                String batchId, Instant createdAt) {
            this(id, language, code, stdin, limits, priority, batchId, createdAt, List.of(), null, List.of(), null, List.of(),
                    null, null);
        }
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** The argument vector as the args column keeps it: a JSON array of strings, null for none. */
    static String argsColumn(List<String> args) {
        return args == null || args.isEmpty() ? null : JSON.writeValueAsString(args);
    }

    private static OutputComparison expectation(ResultSet rs) throws SQLException {
        String expected = rs.getString("expected_output");
        if (expected == null) {
            return null;
        }
        double tolerance = rs.getDouble("tolerance");
        return new OutputComparison(expected, OutputComparison.Mode.parse(rs.getString("compare_mode")),
                rs.wasNull() ? OutputComparison.DEFAULT_TOLERANCE : tolerance);
    }

    static List<ProgramFile> files(String column) {
        return column == null ? List.of() : List.of(JSON.readValue(column, ProgramFile[].class));
    }

    private static <T> List<T> list(String column, Class<T[]> type) {
        return column == null ? List.of() : List.of(JSON.readValue(column, type));
    }

    static List<String> args(String column) {
        return column == null ? List.of() : List.of(JSON.readValue(column, String[].class));
    }

    private static final String INSERT_COLUMNS = """
            INSERT INTO evaluation (id, status, language, code, stdin, timeout_seconds, memory_bytes, nano_cpus,
                                    priority, batch_id, created_at, args, expected_output, compare_mode, tolerance, files,
                                    compile_timeout_seconds, test_cases, tests_total, callback_url, callback_status,
                                    api_key_id)
            """;

    public void insert(NewEvaluation e) {
        bind(jdbc.sql(INSERT_COLUMNS + "VALUES (:id, 'queued', :language, :code, :stdin, :timeout, :memory, :cpus, :priority, "
                + ":batch, :created, :args, :expected, :mode, :tolerance, :files, :compileTimeout, :cases, :total, :callback, "
                + ":callbackStatus, :apiKey)"), e).update();
    }

    /**
     * Inserts a queued evaluation only while fewer than {@code maxQueued} are queued; false when
     * the queue is full. The count and the insert are one statement, so every process sharing
     * the database keeps the bound. It is exact within one statement's snapshot: submissions that
     * arrive at the same instant from different processes each see the others' rows as not yet
     * committed, so the bound can be passed by at most the number of processes submitting at once.
     */
    public boolean insertIfRoom(NewEvaluation e, long maxQueued) {
        return bind(jdbc.sql(INSERT_COLUMNS + """
                SELECT :id, 'queued', :language, :code, :stdin, :timeout, :memory, :cpus, :priority, :batch, :created, :args,
                       :expected, :mode, :tolerance, :files, :compileTimeout, :cases, :total, :callback, :callbackStatus,
                       :apiKey
                WHERE (SELECT COUNT(*) FROM evaluation WHERE status = 'queued') < :max
                """), e).param("max", maxQueued).update() == 1;
    }

    private static JdbcClient.StatementSpec bind(JdbcClient.StatementSpec spec, NewEvaluation e) {
        return spec
                .param("id", e.id())
                .param("language", e.language())
                .param("code", e.code())
                .param("stdin", e.stdin())
                .param("timeout", e.limits().timeoutSeconds())
                .param("memory", e.limits().memoryBytes())
                .param("cpus", e.limits().nanoCpus())
                .param("priority", e.priority())
                .param("batch", e.batchId())
                .param("created", utc(e.createdAt()))
                .param("args", argsColumn(e.args()))
                .param("expected", e.expectation() == null ? null : e.expectation().expected())
                .param("mode", e.expectation() == null ? null : e.expectation().mode().wire())
                .param("tolerance", e.expectation() == null ? null : e.expectation().tolerance())
                .param("files", e.files() == null || e.files().isEmpty() ? null : JSON.writeValueAsString(e.files()))
                .param("compileTimeout", e.compileTimeoutSeconds())
                .param("cases", e.testCases() == null || e.testCases().isEmpty() ? null : JSON.writeValueAsString(e.testCases()))
                .param("total", e.testCases() == null || e.testCases().isEmpty() ? null : e.testCases().size())
                // the callback is due once the row has ended (see dev.crucible.webhooks)
                .param("callback", e.callbackUrl())
                .param("callbackStatus", e.callbackUrl() == null ? null : Callback.PENDING)
                .param("apiKey", e.apiKeyId());
    }

    public Optional<Evaluation> findById(String id) {
        return jdbc.sql("SELECT * FROM evaluation WHERE id = :id").param("id", id).query(this::evaluation).optional();
    }

    public Optional<EvaluationStatus> statusOf(String id) {
        return jdbc.sql("SELECT status FROM evaluation WHERE id = :id").param("id", id)
                .query((rs, n) -> EvaluationStatus.fromWire(rs.getString(1))).optional();
    }

    /** Which of these evaluations have ended, with their status. */
    public Map<String, EvaluationStatus> endedAmong(java.util.Collection<String> ids) {
        Map<String, EvaluationStatus> ended = new LinkedHashMap<>();
        if (ids.isEmpty()) {
            return ended;
        }
        jdbc.sql("SELECT id, status FROM evaluation WHERE id IN (:ids) AND status NOT IN ('queued', 'running')")
                .param("ids", ids)
                .query((ResultSet rs) -> {
                    ended.put(rs.getString(1), EvaluationStatus.fromWire(rs.getString(2)));
                });
        return ended;
    }

    /** Newest first; {@code status} may be null for all. */
    public List<EvaluationSummary> list(EvaluationStatus status, int limit, long offset) {
        String where = status == null ? "" : "WHERE status = :status ";
        var spec = jdbc.sql(SUMMARY_SELECT + " " + where
                + "ORDER BY seq DESC OFFSET :offset ROWS FETCH NEXT :limit ROWS ONLY");
        if (status != null) {
            spec = spec.param("status", status.wire());
        }
        return spec.param("offset", offset).param("limit", limit).query(EvaluationRepository::summary).list();
    }

    public long count(EvaluationStatus status) {
        if (status == null) {
            return jdbc.sql("SELECT COUNT(*) FROM evaluation").query(Long.class).single();
        }
        return jdbc.sql("SELECT COUNT(*) FROM evaluation WHERE status = :status")
                .param("status", status.wire()).query(Long.class).single();
    }

    public Map<EvaluationStatus, Long> countByStatus() {
        return statusCounts(jdbc.sql("SELECT status, COUNT(*) FROM evaluation GROUP BY status"));
    }

    /** Every status with its count (0 for those no row has), from a query of (status, count) rows. */
    private static Map<EvaluationStatus, Long> statusCounts(JdbcClient.StatementSpec query) {
        Map<EvaluationStatus, Long> counts = new LinkedHashMap<>();
        for (EvaluationStatus s : EvaluationStatus.values()) {
            counts.put(s, 0L);
        }
        query.query((ResultSet rs) -> {
            counts.put(EvaluationStatus.fromWire(rs.getString(1)), rs.getLong(2));
        });
        return counts;
    }

    public Map<String, Long> countByLanguage() {
        Map<String, Long> counts = new LinkedHashMap<>();
        jdbc.sql("SELECT language, COUNT(*) FROM evaluation GROUP BY language ORDER BY language")
                .query((ResultSet rs) -> {
                    counts.put(rs.getString(1), rs.getLong(2));
                });
        return counts;
    }

    /** Mean and 95th percentile of the recorded run times, in ms (null when there are none). */
    public record RuntimeStats(long count, Double mean, Long p95) {
    }

    public RuntimeStats runtimeStats() {
        record CountMean(long count, Double mean) {
        }
        CountMean cm = jdbc.sql("SELECT COUNT(runtime_ms), AVG(CAST(runtime_ms AS DOUBLE PRECISION)) FROM evaluation "
                        + "WHERE runtime_ms IS NOT NULL")
                .query((rs, n) -> new CountMean(rs.getLong(1), rs.getObject(2) == null ? null : rs.getDouble(2)))
                .single();
        if (cm.count() == 0) {
            return new RuntimeStats(0, null, null);
        }
        long rank = (long) Math.ceil(0.95 * cm.count()) - 1;
        Long p95 = jdbc.sql("SELECT runtime_ms FROM evaluation WHERE runtime_ms IS NOT NULL ORDER BY runtime_ms "
                        + "OFFSET :rank ROWS FETCH NEXT 1 ROWS ONLY")
                .param("rank", rank).query(Long.class).optional().orElse(null);
        return new RuntimeStats(cm.count(), cm.mean(), p95);
    }

    public long countCreatedSince(Instant since) {
        return jdbc.sql("SELECT COUNT(*) FROM evaluation WHERE created_at >= :since")
                .param("since", utc(since)).query(Long.class).single();
    }

    // ---- retention: old history goes, a small transaction at a time ----

    /**
     * Deletes up to {@code limit} ended evaluations created before {@code cutoff} that belong to
     * no batch (a batch is deleted whole, see {@link #deleteEndedOfBatch}); returns how many.
     * Queued and running work is never touched.
     */
    public int deleteEndedBefore(Instant cutoff, int limit) {
        return jdbc.sql("""
                DELETE FROM evaluation WHERE id IN (
                    SELECT id FROM evaluation
                    WHERE created_at < :cutoff AND batch_id IS NULL
                      AND status IN ('completed', 'failed', 'timeout', 'cancelled')
                    FETCH FIRST :limit ROWS ONLY)
                """).param("cutoff", utc(cutoff)).param("limit", limit).update();
    }

    /** Deletes up to {@code limit} ended evaluations of a batch; returns how many. */
    public int deleteEndedOfBatch(String batchId, int limit) {
        return jdbc.sql("""
                DELETE FROM evaluation WHERE id IN (
                    SELECT id FROM evaluation
                    WHERE batch_id = :batch AND status IN ('completed', 'failed', 'timeout', 'cancelled')
                    FETCH FIRST :limit ROWS ONLY)
                """).param("batch", batchId).param("limit", limit).update();
    }

    /** When the oldest evaluation still kept was created; empty when there is none. */
    public Optional<Instant> oldestCreatedAt() {
        return jdbc.sql("SELECT MIN(created_at) FROM evaluation").query(OffsetDateTime.class).optional()
                .map(OffsetDateTime::toInstant);
    }

    /** Queued evaluations of a lane (for the metrics an autoscaler reads). */
    public long countQueued(QueueDatabase.Lane lane) {
        return jdbc.sql("SELECT COUNT(*) FROM evaluation WHERE status = 'queued'" + lane.condition).query(Long.class).single();
    }

    /** 1 for the next evaluation to be claimed. */
    public long queuePosition(Evaluation e) {
        return 1 + jdbc.sql("""
                SELECT COUNT(*) FROM evaluation
                WHERE status = 'queued' AND (priority > :priority OR (priority = :priority AND seq < :seq))
                """)
                .param("priority", e.priority()).param("seq", e.seq()).query(Long.class).single();
    }

    // ---- dispatch: claim, heartbeat, record, release, recover ----

    /**
     * Claims up to {@code count} of the next queued evaluations of {@code lane} for {@code workerId},
     * in queue order, as the database's {@link QueueDatabase} does it; their memory limits add up to
     * at most {@code memoryRoom}.
     */
    public List<Evaluation> claim(String workerId, Instant now, QueueDatabase.Lane lane, int count, long memoryRoom) {
        return count <= 0 ? List.of() : queueDatabase.claim(jdbc, this::evaluation, workerId, now, lane, count, memoryRoom);
    }

    /** Whether this process is the only one using the database (see {@link QueueDatabase#exclusive()}). */
    public boolean databaseIsExclusive() {
        return queueDatabase.exclusive();
    }

    /** Counts of a batch's evaluations by status. */
    public Map<EvaluationStatus, Long> countByStatus(String batchId) {
        return statusCounts(jdbc.sql("SELECT status, COUNT(*) FROM evaluation WHERE batch_id = :batch GROUP BY status")
                .param("batch", batchId));
    }

    /** Cancels every queued evaluation of a batch; returns how many. */
    public int cancelQueuedOfBatch(String batchId, Instant now) {
        return jdbc.sql(CANCEL_QUEUED + "WHERE batch_id = :batch AND status = 'queued'")
                .param("batch", batchId).param("now", utc(now)).param("error", "Cancelled with its batch").update();
    }

    /** Flags the running evaluations of a batch for cancellation; returns their ids. */
    public List<String> requestCancelOfBatch(String batchId) {
        List<String> running = jdbc.sql("SELECT id FROM evaluation WHERE batch_id = :batch AND status = 'running'")
                .param("batch", batchId).query(String.class).list();
        if (!running.isEmpty()) {
            jdbc.sql("UPDATE evaluation SET cancel_requested = TRUE WHERE batch_id = :batch AND status = 'running'")
                    .param("batch", batchId).update();
        }
        return running;
    }

    /**
     * Records the end of a run with the files it wrote, in one transaction; false if the claim was
     * lost meanwhile (nothing is written then).
     */
    @org.springframework.transaction.annotation.Transactional
    public boolean complete(String id, String workerId, int attempt, EvaluationResult r, String verdict, Instant now) {
        boolean recorded = jdbc.sql("""
                UPDATE evaluation
                SET status = :status, completed_at = :now, runtime_ms = :runtime, cpu_time_ms = :cpu,
                    peak_memory_kb = :memory, exit_code = :exit,
                    output = :output, stdout = :stdout, stderr = :stderr, error = :error,
                    output_truncated = :truncated, failure_reason = :reason, image = :image,
                    image_digest = :digest, heartbeat_at = NULL, compile_output = :compileOutput,
                    compile_exit_code = :compileExit, compile_time_ms = :compileTime, compile_cpu_time_ms = :compileCpu,
                    compile_peak_memory_kb = :compileMemory, artifact_notes = :notes, test_results = :results,
                    tests_passed = :passed, verdict = :verdict, output_segments = :segments
                WHERE id = :id AND status = 'running' AND worker_id = :worker AND attempts = :attempt
                """)
                .param("status", r.status().wire())
                .param("now", utc(now))
                .param("runtime", r.runtimeMs())
                .param("cpu", r.cpuTimeMs())
                .param("memory", r.peakMemoryKb())
                .param("exit", r.exitCode())
                .param("output", r.output())
                .param("stdout", r.stdout())
                .param("stderr", r.stderr())
                .param("error", r.error())
                .param("truncated", r.outputTruncated())
                .param("reason", r.failureReason())
                .param("image", r.image())
                .param("digest", r.imageDigest())
                .param("compileOutput", r.compilation() == null ? null : r.compilation().output())
                .param("compileExit", r.compilation() == null ? null : r.compilation().exitCode())
                .param("compileTime", r.compilation() == null ? null : r.compilation().timeMs())
                .param("compileCpu", r.compilation() == null ? null : r.compilation().cpuTimeMs())
                .param("compileMemory", r.compilation() == null ? null : r.compilation().peakMemoryKb())
                .param("notes", r.artifactNotes().isEmpty() ? null : String.join("\n", r.artifactNotes()))
                .param("results", r.testResults().isEmpty() ? null : JSON.writeValueAsString(r.testResults()))
                .param("passed", r.testResults().isEmpty() ? null : r.testResults().stream().filter(TestResult::passed).count())
                .param("verdict", verdict)
                .param("segments", r.outputSegments())
                .param("id", id)
                .param("worker", workerId)
                .param("attempt", attempt)
                .update() == 1;
        if (recorded && !r.artifacts().isEmpty()) {
            jdbc.sql("DELETE FROM evaluation_artifact WHERE evaluation_id = :id").param("id", id).update();
            for (Artifact a : r.artifacts()) {
                jdbc.sql("INSERT INTO evaluation_artifact (evaluation_id, name, size, sha256, content) "
                        + "VALUES (:id, :name, :size, :sha, :content)")
                        .param("id", id).param("name", a.name()).param("size", a.size()).param("sha", a.sha256())
                        .param("content", a.content()).update();
            }
        }
        return recorded;
    }

    /** The files an evaluation's program wrote under /out, by name (without their bytes). */
    public List<Artifact.Info> artifacts(String id) {
        return jdbc.sql("SELECT name, size, sha256 FROM evaluation_artifact WHERE evaluation_id = :id ORDER BY name")
                .param("id", id).query((rs, n) -> new Artifact.Info(rs.getString(1), rs.getLong(2), rs.getString(3))).list();
    }

    public Optional<Artifact> artifact(String id, String name) {
        return jdbc.sql("SELECT name, size, sha256, content FROM evaluation_artifact WHERE evaluation_id = :id AND name = :name")
                .param("id", id).param("name", name)
                .query((rs, n) -> new Artifact(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getBytes(4))).optional();
    }

    /** What was left out of an evaluation's files, one note each. */
    public List<String> artifactNotes(String id) {
        String notes = jdbc.sql("SELECT artifact_notes FROM evaluation WHERE id = :id").param("id", id)
                .query(String.class).optional().orElse(null);
        return notes == null ? List.of() : List.of(notes.split("\n"));
    }

    /**
     * Gives a claimed evaluation back to the queue, keeping its place (its program did not run,
     * for example because the Docker daemon went away before the container started).
     */
    public boolean release(String id, String workerId, int attempt) {
        return jdbc.sql("""
                UPDATE evaluation
                SET status = 'queued', worker_id = NULL, started_at = NULL, heartbeat_at = NULL,
                    attempts = attempts - 1
                WHERE id = :id AND status = 'running' AND worker_id = :worker AND attempts = :attempt
                """)
                .param("id", id).param("worker", workerId).param("attempt", attempt).update() == 1;
    }

    public int heartbeat(String workerId, java.util.Collection<String> ids, Instant now) {
        return jdbc.sql("""
                UPDATE evaluation SET heartbeat_at = :now
                WHERE id IN (:ids) AND worker_id = :worker AND status = 'running'
                """).param("now", utc(now)).param("ids", ids).param("worker", workerId).update();
    }

    /** Whether someone asked to cancel this evaluation (read before each run: one flag, not the whole row). */
    public boolean isCancelRequested(String id) {
        return jdbc.sql("SELECT cancel_requested FROM evaluation WHERE id = :id").param("id", id)
                .query(Boolean.class).optional().orElse(false);
    }

    public List<String> cancelRequested(String workerId) {
        return jdbc.sql("""
                SELECT id FROM evaluation WHERE worker_id = :worker AND status = 'running' AND cancel_requested
                """).param("worker", workerId).query(String.class).list();
    }

    /** Running evaluations whose worker has not been heard of since {@code before}. */
    public List<Evaluation> findAbandoned(Instant before) {
        return jdbc.sql("""
                SELECT * FROM evaluation
                WHERE status = 'running' AND (heartbeat_at IS NULL OR heartbeat_at < :before)
                """)
                .param("before", utc(before)).query(this::evaluation).list();
    }

    /**
     * Puts a started evaluation back in the queue, keeping its place and counting the attempt
     * (its worker died, or the Docker daemon went away while it ran).
     */
    public boolean requeue(Evaluation e) {
        return jdbc.sql("""
                UPDATE evaluation SET status = 'queued', worker_id = NULL, started_at = NULL, heartbeat_at = NULL
                WHERE id = :id AND status = 'running' AND attempts = :attempt
                  AND COALESCE(worker_id, '') = :worker
                """)
                .param("id", e.id()).param("attempt", e.attempts()).param("worker", e.workerId() == null ? "" : e.workerId()).update() == 1;
    }

    /** Ends an abandoned evaluation (its worker is gone) for good. */
    public boolean endAbandoned(Evaluation e, EvaluationResult result, Instant now) {
        return jdbc.sql("""
                UPDATE evaluation
                SET status = :status, completed_at = :now, error = :error, failure_reason = :reason,
                    output = '', stdout = '', stderr = '', heartbeat_at = NULL
                WHERE id = :id AND status = 'running' AND attempts = :attempt
                  AND COALESCE(worker_id, '') = :worker
                """)
                .param("status", result.status().wire())
                .param("now", utc(now))
                .param("error", result.error())
                .param("reason", result.failureReason())
                .param("id", e.id()).param("attempt", e.attempts()).param("worker", e.workerId() == null ? "" : e.workerId()).update() == 1;
    }

    // ---- cancel ----

    /** Cancels a queued evaluation; false if it was not queued (any more). */
    public boolean cancelQueued(String id, Instant now) {
        return jdbc.sql(CANCEL_QUEUED + "WHERE id = :id AND status = 'queued'")
                .param("id", id).param("now", utc(now)).param("error", "Cancelled by user").update() == 1;
    }

    /** Ends queued work as cancelled (the caller adds which rows). */
    private static final String CANCEL_QUEUED = """
            UPDATE evaluation
            SET status = 'cancelled', completed_at = :now, failure_reason = 'cancelled', error = :error,
                output = '', stdout = '', stderr = ''
            """;

    /** Flags a running evaluation for cancellation; its worker kills the container. */
    public boolean requestCancel(String id) {
        return jdbc.sql("UPDATE evaluation SET cancel_requested = TRUE WHERE id = :id AND status = 'running'")
                .param("id", id).update() == 1;
    }

    // ---- mapping ----

    Evaluation evaluation(ResultSet rs, int row) throws SQLException {
        return new Evaluation(
                rs.getString("id"),
                rs.getLong("seq"),
                EvaluationStatus.fromWire(rs.getString("status")),
                rs.getString("language"),
                rs.getString("code"),
                rs.getString("stdin"),
                new Limits(rs.getInt("timeout_seconds"), rs.getLong("memory_bytes"), rs.getLong("nano_cpus")),
                rs.getInt("priority"),
                rs.getString("batch_id"),
                instant(rs, "created_at"),
                instant(rs, "started_at"),
                instant(rs, "completed_at"),
                nullableLong(rs, "runtime_ms"),
                nullableLong(rs, "cpu_time_ms"),
                nullableLong(rs, "peak_memory_kb"),
                nullableInt(rs, "exit_code"),
                rs.getString("output"),
                rs.getString("stdout"),
                rs.getString("stderr"),
                rs.getString("error"),
                rs.getBoolean("output_truncated"),
                rs.getString("failure_reason"),
                rs.getString("image"),
                rs.getString("image_digest"),
                rs.getString("worker_id"),
                instant(rs, "heartbeat_at"),
                rs.getInt("attempts"),
                rs.getBoolean("cancel_requested"),
                args(rs.getString("args")),
                expectation(rs),
                files(rs.getString("files")),
                nullableInt(rs, "compile_timeout_seconds"),
                compilation(rs),
                list(rs.getString("test_cases"), TestCase[].class),
                list(rs.getString("test_results"), TestResult[].class),
                Callback.of(rs));
    }

    private static Compilation compilation(ResultSet rs) throws SQLException {
        String output = rs.getString("compile_output");
        return output == null ? null : new Compilation(output, nullableInt(rs, "compile_exit_code"),
                nullableLong(rs, "compile_time_ms"), nullableLong(rs, "compile_cpu_time_ms"),
                nullableLong(rs, "compile_peak_memory_kb"));
    }

    static EvaluationSummary summary(ResultSet rs, int row) throws SQLException {
        String preview = rs.getString("code_preview");
        if (preview != null && preview.length() > PREVIEW_CHARS) {
            preview = preview.substring(0, PREVIEW_CHARS) + "...";
        }
        return new EvaluationSummary(
                rs.getString("id"),
                EvaluationStatus.fromWire(rs.getString("status")),
                rs.getString("language"),
                rs.getInt("priority"),
                rs.getString("batch_id"),
                instant(rs, "created_at"),
                instant(rs, "started_at"),
                instant(rs, "completed_at"),
                nullableLong(rs, "runtime_ms"),
                nullableLong(rs, "cpu_time_ms"),
                nullableLong(rs, "peak_memory_kb"),
                nullableInt(rs, "exit_code"),
                rs.getString("failure_reason"),
                preview);
    }

    static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    static Long nullableLong(ResultSet rs, String column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : value;
    }

    static Integer nullableInt(ResultSet rs, String column) throws SQLException {
        int value = rs.getInt(column);
        return rs.wasNull() ? null : value;
    }
}
