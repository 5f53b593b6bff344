package dev.crucible.evaluation;

import java.util.List;

/**
 * The {@code priority} field: an integer (higher runs first). Older clients of the original
 * platform send a boolean; {@code true} counts as 1 and {@code false} as 0.
 */
public final class PriorityField {

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
            throw invalid(value, "priority must be between " + Integer.MIN_VALUE + " and " + Integer.MAX_VALUE);
        }
        throw invalid(value, "Input should be a valid integer");
    }

    private static InvalidSubmissionException invalid(Object value, String message) {
        return new InvalidSubmissionException(List.of(
                new InvalidSubmissionException.Problem("priority", "int_parsing", message, value)));
    }
}
