package dev.crucible.evaluation;

import java.time.Instant;

/**
 * Cells for CSV files people open in spreadsheets. Text that a spreadsheet would run as a formula
 * (it starts with {@code =}, {@code +}, {@code -}, {@code @}, a tab or a carriage return) gets a
 * leading apostrophe, as OWASP advises: an evaluation's output can be anything.
 */
public final class CsvCells {

    private CsvCells() {
    }

    public static String text(String value) {
        if (value == null || value.isEmpty()) {
            return value;
        }
        char first = value.charAt(0);
        if (first == '=' || first == '+' || first == '-' || first == '@' || first == '\t' || first == '\r') {
            return "'" + value;
        }
        return value;
    }

    public static String time(Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
