package dev.crucible.webhooks;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

import dev.crucible.evaluation.Callback;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The callbacks owed, kept on the evaluations' and batches' own rows (see V16__callbacks.sql and
 * V18__batch_callbacks.sql): one is due when its evaluation or batch has ended, its status is
 * pending and its next try has come. Every change is conditional on the attempt it follows, so
 * two processes never both send the same try.
 */
@Repository
class CallbackRepository {

    /** What a callback tells the end of: the table that keeps it and when a row there has ended. */
    enum Subject {
        EVALUATION("evaluation", "status IN ('completed', 'failed', 'timeout', 'cancelled')", "completed_at", "seq"),
        BATCH("batch", "status IN ('completed', 'cancelled')", "finished_at", "created_at");

        final String table;
        final String ended;
        final String endedAt;
        final String order;

        Subject(String table, String ended, String endedAt, String order) {
            this.table = table;
            this.ended = ended;
            this.endedAt = endedAt;
            this.order = order;
        }

        /** The event a receiver is told: evaluation.ended or batch.ended. */
        String event() {
            return table + ".ended";
        }
    }

    /** A callback to send: of what, where, which try this is, when it ended, and its API key. */
    record Due(Subject subject, String id, String url, int attempts, Instant endedAt, String apiKeyId) {
    }

    private final JdbcClient jdbc;

    CallbackRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    List<Due> due(Subject subject, Instant now, int limit) {
        return jdbc.sql("SELECT id, callback_url, callback_attempts, " + subject.endedAt + " AS ended_at, api_key_id FROM "
                        + subject.table + " WHERE callback_status = '" + Callback.PENDING + "' AND " + subject.ended
                        + " AND (callback_next_at IS NULL OR callback_next_at <= :now) ORDER BY " + subject.order
                        + " FETCH FIRST :limit ROWS ONLY")
                .param("now", utc(now)).param("limit", limit)
                .query((rs, n) -> {
                    OffsetDateTime ended = rs.getObject("ended_at", OffsetDateTime.class);
                    return new Due(subject, rs.getString("id"), rs.getString("callback_url"), rs.getInt("callback_attempts"),
                            ended == null ? now : ended.toInstant(), rs.getString("api_key_id"));
                }).list();
    }

    /**
     * Takes a due callback for one try: counts the try and holds it until {@code leaseUntil}
     * (when a process dies in the middle, the try is made again after that). False when another
     * process took it first.
     */
    boolean claim(Due due, Instant leaseUntil) {
        return jdbc.sql("UPDATE " + due.subject().table + " SET callback_attempts = callback_attempts + 1, "
                        + "callback_next_at = :lease WHERE id = :id AND callback_status = '" + Callback.PENDING
                        + "' AND callback_attempts = :attempts")
                .param("lease", utc(leaseUntil)).param("id", due.id()).param("attempts", due.attempts()).update() == 1;
    }

    void delivered(Subject subject, String evalId, int attempt, Instant now) {
        jdbc.sql("UPDATE " + subject.table + " SET callback_status = '" + Callback.DELIVERED + "', callback_delivered_at = :now, "
                        + "callback_next_at = NULL WHERE id = :id AND callback_attempts = :attempt AND callback_status = '"
                        + Callback.PENDING + "'")
                .param("now", utc(now)).param("id", evalId).param("attempt", attempt).update();
    }

    void retryAt(Subject subject, String evalId, int attempt, String error, Instant next) {
        jdbc.sql("UPDATE " + subject.table + " SET callback_last_error = :error, callback_next_at = :next "
                        + "WHERE id = :id AND callback_attempts = :attempt AND callback_status = '" + Callback.PENDING + "'")
                .param("error", clip(error)).param("next", utc(next)).param("id", evalId).param("attempt", attempt).update();
    }

    void failed(Subject subject, String evalId, int attempt, String error) {
        jdbc.sql("UPDATE " + subject.table + " SET callback_status = '" + Callback.FAILED + "', callback_last_error = :error, "
                        + "callback_next_at = NULL WHERE id = :id AND callback_attempts = :attempt AND callback_status = '"
                        + Callback.PENDING + "'")
                .param("error", clip(error)).param("id", evalId).param("attempt", attempt).update();
    }

    /** An admin's retry of a failed callback: due again at once (its tries go on counting); false when not failed. */
    boolean retryNow(Subject subject, String evalId) {
        return jdbc.sql(RETRY_FAILED.formatted(subject.table) + " AND id = :id").param("id", evalId).update() == 1;
    }

    /** What an admin's retry does: a failed callback is pending again, due at once. */
    private static final String RETRY_FAILED = "UPDATE %s SET callback_status = '" + Callback.PENDING
            + "', callback_next_at = NULL WHERE callback_status = '" + Callback.FAILED + "'";

    /** How many callbacks, of evaluations and batches together, are in this state. */
    long count(String status) {
        long total = 0;
        for (Subject subject : Subject.values()) {
            total += jdbc.sql("SELECT COUNT(*) FROM " + subject.table + " WHERE callback_status = :status")
                    .param("status", status).query(Long.class).single();
        }
        return total;
    }

    /**
     * One page of the callbacks in this state, of evaluations and batches together, the latest
     * ended first: each table gives at most {@code offset + limit} rows in that order (read from
     * its index, V20__callback_lists.sql), and only those are merged.
     */
    List<CallbackOverview.Row> list(String status, int offset, int limit) {
        StringBuilder sql = new StringBuilder();
        for (Subject subject : Subject.values()) {
            sql.append(sql.isEmpty() ? "" : " UNION ALL ").append("(SELECT '").append(subject.name()).append("' AS subject, id, ")
                    .append("callback_url, callback_status, callback_attempts, callback_last_error, callback_delivered_at, ")
                    .append(subject.endedAt).append(" AS ended_at FROM ").append(subject.table)
                    .append(" WHERE callback_status = :status ORDER BY ").append(subject.endedAt)
                    .append(" DESC FETCH FIRST :reach ROWS ONLY)");
        }
        return jdbc.sql("SELECT * FROM (" + sql + ") owed ORDER BY ended_at DESC NULLS LAST, id OFFSET :offset ROWS "
                        + "FETCH NEXT :limit ROWS ONLY")
                .param("status", status).param("reach", offset + limit).param("offset", offset).param("limit", limit)
                .query((rs, n) -> {
                    OffsetDateTime ended = rs.getObject("ended_at", OffsetDateTime.class);
                    return new CallbackOverview.Row(Subject.valueOf(rs.getString("subject")) == Subject.BATCH,
                            rs.getString("id"), Callback.of(rs), ended == null ? null : ended.toInstant());
                }).list();
    }

    /** Every failed callback due again at once; how many there were. */
    int retryAllFailed() {
        int retried = 0;
        for (Subject subject : Subject.values()) {
            retried += jdbc.sql(RETRY_FAILED.formatted(subject.table)).update();
        }
        return retried;
    }

    /** The secret the API key signs its evaluations' callbacks with (also once revoked); empty for a key without one. */
    java.util.Optional<String> signingSecretOf(String apiKeyId) {
        return jdbc.sql("SELECT signing_secret FROM api_key WHERE id = :id").param("id", apiKeyId).query(String.class)
                .optional();
    }

    private static String clip(String error) {
        return error == null || error.length() <= 1000 ? error : error.substring(0, 997) + "...";
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
