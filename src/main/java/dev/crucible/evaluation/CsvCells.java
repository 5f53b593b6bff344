package dev.crucible.evaluation;

import java.time.Instant;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.QuoteMode;

/**
 * Cells for CSV files people open in spreadsheets. Text that a spreadsheet would run as a formula
 * (it starts with {@code =}, {@code +}, {@code -}, {@code @}, a tab or a carriage return) gets a
 * leading apostrophe, as OWASP advises: an evaluation's output can be anything. Every field is
 * quoted, not only those that need it, so no reader has to guess where a cell ends.
 */
public final class CsvCells {

    /** RFC 4180 with every field quoted; add the header with {@code .builder().setHeader(...)}. */
    public static final CSVFormat FORMAT = CSVFormat.RFC4180.builder().setQuoteMode(QuoteMode.ALL).get();

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
