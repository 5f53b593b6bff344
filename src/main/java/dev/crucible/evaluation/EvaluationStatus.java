package dev.crucible.evaluation;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** Where an evaluation is in its life; the lower-case name is what the API and the database say. */
public enum EvaluationStatus {
    QUEUED, RUNNING, COMPLETED, FAILED, TIMEOUT, CANCELLED;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean isTerminal() {
        return this != QUEUED && this != RUNNING;
    }

    public static EvaluationStatus fromWire(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }

    public static Optional<EvaluationStatus> parse(String value) {
        return Arrays.stream(values()).filter(s -> s.wire().equalsIgnoreCase(value == null ? "" : value.trim())).findFirst();
    }
}
