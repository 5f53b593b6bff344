package dev.crucible.batch;

import java.time.Instant;

/**
 * A batch as stored. {@code status}: running, completed, stopped (interrupted; can be restarted),
 * cancelled.
 */
public record Batch(String id, String name, String kind, String status, int total, int skipped, String defaultLanguage,
        Integer defaultTimeout, String defaultMemory, String defaultCpu, int priority, String archiveFile,
        Instant createdAt, Instant finishedAt, Long jobExecutionId, String error, dev.crucible.evaluation.Callback callback) {

    static final String RUNNING = "running";
    static final String COMPLETED = "completed";
    static final String STOPPED = "stopped";
    static final String CANCELLED = "cancelled";

    static final String KIND_ARCHIVE = "archive";
    static final String KIND_FILES = "files";
    static final String KIND_JSON = "json";
}
