package dev.crucible.evaluation;

import java.util.List;

/**
 * The {@code priority} field: an integer (higher runs first). Older clients of the original
 * platform send a boolean; {@code true} counts as 1 and {@code false} as 0; a numeric string counts
 * as its number (pydantic's lax mode took it). The range covers the original's priority classes
 * (0 to 2000) with room on both sides, and keeps anyone from jumping every queue forever; the
 * validator holds every submission to it (here only numbers no int can hold are refused).
 */
public final class PriorityField {

    public static final int MIN = -10_000;
    public static final int MAX = 10_000;
    static final String RANGE = "priority must be between " + MIN + " and " + MAX;

    private PriorityField() {
    }

    public static Integer parse(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Boolean b) {
            return b ? 1 : 0;
        }
        if (value instanceof Integer i) {
            return i;
        }
        if (value instanceof Long || value instanceof java.math.BigInteger) {
            throw invalid(value, RANGE);
        }
        if (value instanceof String text && text.strip().matches("[+-]?[0-9]{1,9}")) {
            return Integer.parseInt(text.strip());
        }
        if (value instanceof String text && text.strip().matches("[+-]?[0-9]+")) {
            throw invalid(value, RANGE);
        }
        throw invalid(value, "Input should be a valid integer");
    }

    private static InvalidSubmissionException invalid(Object value, String message) {
        return new InvalidSubmissionException(List.of(
                new InvalidSubmissionException.Problem("priority", "int_parsing", message, value instanceof String text && text.length() > 64 ? text.substring(0, 64) + "..." : value)));
    }
}
