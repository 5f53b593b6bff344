package dev.crucible.evaluation;

import java.time.Instant;

/**
 * Which evaluations the history shows (every field optional).
 *
 * @param text part of the evaluation id
 * @param from created at or after
 * @param to created before
 */
public record HistoryFilter(EvaluationStatus status, String language, String batchId, String text, Instant from,
        Instant to) {

    public static final HistoryFilter ALL = new HistoryFilter(null, null, null, null, null, null);

    public HistoryFilter {
        language = blankToNull(language);
        batchId = blankToNull(batchId);
        text = blankToNull(text);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
