package dev.crucible.evaluation;

import java.time.Instant;
import java.util.Map;

/**
 * Evaluations ended in each of the last {@value #MINUTES} minutes (whole clock minutes, the current
 * one last and still filling), for the whole installation and per worker. The installation also
 * counts what ended without a worker (cancelled while queued), so it can be more than the workers'
 * sum.
 */
public record Throughput(Instant firstMinute, long[] installation, Map<String, long[]> byWorker) {

    public static final int MINUTES = 60;

    /** What {@code workerId} ended per minute; all zeros for a worker that ended nothing. */
    public long[] ofWorker(String workerId) {
        long[] perMinute = byWorker.get(workerId);
        return perMinute == null ? new long[MINUTES] : perMinute.clone();
    }
}
