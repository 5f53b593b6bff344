package dev.crucible.evaluation;

import java.time.Instant;

/**
 * An evaluation's webhook: where its end is POSTed and how the delivery stands.
 *
 * @param status {@link #PENDING} (until delivered, also while the evaluation runs), {@link #DELIVERED} or {@link #FAILED}
 * @param attempts requests made so far
 * @param lastError why the last request did not count as delivered; null when none failed
 * @param deliveredAt when a request was answered 2xx
 */
public record Callback(String url, String status, int attempts, String lastError, Instant deliveredAt) {

    public static final String PENDING = "pending";
    public static final String DELIVERED = "delivered";
    public static final String FAILED = "failed";

    /** The callback columns of an evaluation's or a batch's row; null when it has no callback_url. */
    public static Callback of(java.sql.ResultSet rs) throws java.sql.SQLException {
        String url = rs.getString("callback_url");
        if (url == null) {
            return null;
        }
        java.time.OffsetDateTime delivered = rs.getObject("callback_delivered_at", java.time.OffsetDateTime.class);
        return new Callback(url, rs.getString("callback_status"), rs.getInt("callback_attempts"),
                rs.getString("callback_last_error"), delivered == null ? null : delivered.toInstant());
    }

    /** As the API shows it ({@code callback} of an evaluation or a batch); null for none. */
    @io.swagger.v3.oas.annotations.media.Schema(name = "Callback", description = "Where the callback of an ended evaluation (or batch) stands")
    public record View(String status, int attempts, String lastError, String deliveredAt) {
        public static View of(Callback c) {
            return c == null ? null : new View(c.status(), c.attempts(), c.lastError(),
                    c.deliveredAt() == null ? null : c.deliveredAt().toString());
        }
    }
}
