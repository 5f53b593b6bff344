package dev.crucible.evaluation;

import java.time.Instant;

/** An evaluation as lists show it: no code, no output, just what identifies and sums it up. */
public record EvaluationSummary(
        String id,
        EvaluationStatus status,
        String language,
        int priority,
        String batchId,
        Instant createdAt,
        Instant startedAt,
        Instant completedAt,
        Long runtimeMs,
        Long cpuTimeMs,
        Long peakMemoryKb,
        Integer exitCode,
        String failureReason,
        String codePreview) {
}
