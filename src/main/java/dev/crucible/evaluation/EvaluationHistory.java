package dev.crucible.evaluation;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Read-only questions about the history, for the admin pages and the CSV export: filtered,
 * sorted pages, and the whole filtered history as a stream of rows in chunks (constant memory,
 * whatever its size). Only this feature's queries touch the evaluation table.
 */
@Component
public class EvaluationHistory {

    /** One page of the history table. */
    public record Page(List<EvaluationSummary> rows, long total, int page, int size) {
        public int pages() {
            return (int) Math.max(1, (total + size - 1) / size);
        }
    }

    /** One evaluation as the CSV export writes it (output and error already cut to length). */
    public record ExportRow(String id, String status, String language, Integer exitCode, String failureReason,
            Long runtimeMs, Long cpuTimeMs, Long peakMemoryKb, Instant createdAt, Instant startedAt, Instant completedAt,
            String batchId, String image, String output, String error, String verdict, Integer testsPassed,
            Integer testsTotal) {
    }

    private static final int EXPORT_CHUNK = 500;

    private final JdbcClient jdbc;

    public EvaluationHistory(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    private record Where(String sql, Map<String, Object> params) {
    }

    private static Where where(HistoryFilter f) {
        List<String> conditions = new ArrayList<>();
        Map<String, Object> params = new LinkedHashMap<>();
        if (f.status() != null) {
            conditions.add("status = :status");
            params.put("status", f.status().wire());
        }
        if (f.language() != null) {
            conditions.add("language = :language");
            params.put("language", f.language());
        }
        if (f.batchId() != null) {
            conditions.add("batch_id = :batch");
            params.put("batch", f.batchId());
        }
        if (f.text() != null) {
            conditions.add("LOWER(id) LIKE :text ESCAPE '\\'");
            params.put("text", "%" + f.text().toLowerCase().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%");
        }
        if (f.from() != null) {
            conditions.add("created_at >= :from");
            params.put("from", EvaluationRepository.utc(f.from()));
        }
        if (f.to() != null) {
            conditions.add("created_at < :to");
            params.put("to", EvaluationRepository.utc(f.to()));
        }
        return new Where(conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions), params);
    }

    public Page page(HistoryFilter filter, HistorySort sort, boolean ascending, int page, int size) {
        Where where = where(filter);
        var count = jdbc.sql("SELECT COUNT(*) FROM evaluation" + where.sql());
        where.params().forEach(count::param);
        long total = count.query(Long.class).single();
        int pages = (int) Math.max(1, (total + size - 1) / size);
        int current = Math.max(1, Math.min(page, pages));
        var rows = jdbc.sql(EvaluationRepository.SUMMARY_SELECT + where.sql() + " ORDER BY " + sort.orderBy(ascending)
                + " OFFSET :offset ROWS FETCH NEXT :size ROWS ONLY");
        where.params().forEach(rows::param);
        List<EvaluationSummary> list = rows.param("offset", (long) (current - 1) * size).param("size", size)
                .query(EvaluationRepository::summary).list();
        return new Page(list, total, current, size);
    }

    /**
     * Hands every evaluation the filter selects, newest first, to {@code sink}, reading
     * {@value #EXPORT_CHUNK} rows at a time (keyset on the submission order), with output and
     * error cut to {@code textLimit} characters in the database.
     */
    public void export(HistoryFilter filter, int textLimit, Consumer<ExportRow> sink) {
        Where where = where(filter);
        long after = Long.MAX_VALUE;
        while (true) {
            String keyset = (where.sql().isEmpty() ? " WHERE " : where.sql() + " AND ") + "seq < :after";
            var query = jdbc.sql("""
                    SELECT seq, id, status, language, exit_code, failure_reason, runtime_ms, cpu_time_ms, peak_memory_kb, verdict,
                           tests_passed, tests_total, created_at, started_at,
                           completed_at, batch_id, image, SUBSTRING(output, 1, :limit) AS output_part,
                           SUBSTRING(COALESCE(NULLIF(error, ''), stderr), 1, :limit) AS error_part
                    FROM evaluation""" + keyset + " ORDER BY seq DESC FETCH FIRST " + EXPORT_CHUNK + " ROWS ONLY");
            where.params().forEach(query::param);
            List<Keyed> chunk = query.param("after", after).param("limit", textLimit)
                    .query((rs, n) -> new Keyed(rs.getLong("seq"), exportRow(rs))).list();
            chunk.forEach(keyed -> sink.accept(keyed.row()));
            if (chunk.size() < EXPORT_CHUNK) {
                return;
            }
            after = chunk.get(chunk.size() - 1).seq();
        }
    }

    /**
     * The export rows of these evaluations (output and error cut to {@code textLimit}), with their
     * full stdout when {@code withStdout} (to compare with an expected output), by id.
     */
    public Map<String, ExportRow> byIds(java.util.Collection<String> ids, int textLimit) {
        Map<String, ExportRow> rows = new LinkedHashMap<>();
        if (ids.isEmpty()) {
            return rows;
        }
        jdbc.sql("""
                SELECT seq, id, status, language, exit_code, failure_reason, runtime_ms, cpu_time_ms, peak_memory_kb, verdict,
                           tests_passed, tests_total, created_at, started_at,
                       completed_at, batch_id, image, SUBSTRING(output, 1, :limit) AS output_part,
                       SUBSTRING(COALESCE(NULLIF(error, ''), stderr), 1, :limit) AS error_part
                FROM evaluation WHERE id IN (:ids)
                """).param("limit", textLimit).param("ids", ids)
                .query((ResultSet rs) -> {
                    ExportRow row = exportRow(rs);
                    rows.put(row.id(), row);
                });
        return rows;
    }

    /** The whole stdout of these evaluations, by id. */
    public Map<String, String> stdoutByIds(java.util.Collection<String> ids) {
        Map<String, String> stdout = new LinkedHashMap<>();
        if (ids.isEmpty()) {
            return stdout;
        }
        jdbc.sql("SELECT id, stdout FROM evaluation WHERE id IN (:ids)").param("ids", ids)
                .query((ResultSet rs) -> {
                    stdout.put(rs.getString(1), rs.getString(2));
                });
        return stdout;
    }

    /**
     * What ended in each of the last 60 clock minutes up to {@code now}, installation-wide and per
     * worker: one grouped query over the index on completed_at. DATE_TRUNC means the same on H2 and
     * PostgreSQL (PostgreSQL truncates in the session's time zone, whose offsets are whole minutes).
     * An end stamped after {@code now} (a worker host's clock ahead of this one's) counts in the
     * current minute.
     */
    public Throughput throughput(Instant now) {
        Instant firstMinute = now.truncatedTo(ChronoUnit.MINUTES).minus(Throughput.MINUTES - 1, ChronoUnit.MINUTES);
        long[] installation = new long[Throughput.MINUTES];
        Map<String, long[]> byWorker = new HashMap<>();
        jdbc.sql("""
                SELECT worker_id, DATE_TRUNC('minute', completed_at) AS ended_in, COUNT(*) AS ended FROM evaluation
                WHERE completed_at >= :since
                GROUP BY worker_id, DATE_TRUNC('minute', completed_at)
                """).param("since", EvaluationRepository.utc(firstMinute))
                .query((ResultSet rs) -> {
                    long minutes = Duration.between(firstMinute, instant(rs, "ended_in")).toMinutes();
                    int bucket = (int) Math.max(0, Math.min(Throughput.MINUTES - 1, minutes));
                    long ended = rs.getLong("ended");
                    installation[bucket] += ended;
                    String worker = rs.getString("worker_id");
                    if (worker != null) {
                        byWorker.computeIfAbsent(worker, w -> new long[Throughput.MINUTES])[bucket] += ended;
                    }
                });
        return new Throughput(firstMinute, installation, byWorker);
    }

    /** Upper bounds (ms, exclusive) of the runtime histogram's buckets; the last bucket is open. */
    public static final long[] RUNTIME_BUCKETS_MS = {10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 30_000};

    /** How many of the latest {@code latest} runs fell into each runtime bucket. */
    public long[] runtimeHistogram(int latest) {
        long[] counts = new long[RUNTIME_BUCKETS_MS.length + 1];
        jdbc.sql("SELECT runtime_ms FROM evaluation WHERE runtime_ms IS NOT NULL ORDER BY seq DESC FETCH FIRST :n ROWS ONLY")
                .param("n", latest)
                .query((ResultSet rs) -> {
                    long ms = rs.getLong(1);
                    int bucket = 0;
                    while (bucket < RUNTIME_BUCKETS_MS.length && ms >= RUNTIME_BUCKETS_MS[bucket]) {
                        bucket++;
                    }
                    counts[bucket]++;
                });
        return counts;
    }

    private record Keyed(long seq, ExportRow row) {
    }

    private static ExportRow exportRow(ResultSet rs) throws SQLException {
        return new ExportRow(rs.getString("id"), rs.getString("status"), rs.getString("language"),
                EvaluationRepository.nullableInt(rs, "exit_code"), rs.getString("failure_reason"),
                EvaluationRepository.nullableLong(rs, "runtime_ms"), EvaluationRepository.nullableLong(rs, "cpu_time_ms"),
                EvaluationRepository.nullableLong(rs, "peak_memory_kb"), instant(rs, "created_at"), instant(rs, "started_at"),
                instant(rs, "completed_at"), rs.getString("batch_id"), rs.getString("image"),
                rs.getString("output_part"), rs.getString("error_part"), rs.getString("verdict"),
                EvaluationRepository.nullableInt(rs, "tests_passed"), EvaluationRepository.nullableInt(rs, "tests_total"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }
}
