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
}
