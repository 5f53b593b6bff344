package dev.crucible.evaluation;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the history filters as the web page and the CSV export take them from a query string:
 * {@code status}, {@code language}, {@code batch}, {@code q} (part of the id), {@code from} and
 * {@code to} (days, {@code 2026-11-29}, in UTC, both included; or instants).
 */
public final class HistoryParams {

    private HistoryParams() {
    }

    /** @throws InvalidQueryException naming every parameter that is not understood */
    public static HistoryFilter parse(String status, String language, String batch, String q, String from, String to) {
        List<InvalidSubmissionException.Problem> problems = new ArrayList<>();
        EvaluationStatus parsedStatus = status(status, problems);
        Instant fromInstant = instant("from", from, false, problems);
        Instant toInstant = instant("to", to, true, problems);
        if (!problems.isEmpty()) {
            throw new InvalidQueryException(problems);
        }
        return new HistoryFilter(parsedStatus, language, batch, q, fromInstant, toInstant);
    }

    /** The status filter, or null for any; an unknown status is added to {@code problems}. */
    static EvaluationStatus status(String status, List<InvalidSubmissionException.Problem> problems) {
        if (status == null || status.isBlank()) {
            return null;
        }
        EvaluationStatus parsed = EvaluationStatus.parse(status).orElse(null);
        if (parsed == null) {
            problems.add(new InvalidSubmissionException.Problem("status", "value_error",
                    "status must be one of queued, running, completed, failed, timeout, cancelled", status));
        }
        return parsed;
    }

    private static Instant instant(String name, String value, boolean endOfDay,
            List<InvalidSubmissionException.Problem> problems) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            LocalDate day = LocalDate.parse(value.strip());
            return (endOfDay ? day.plusDays(1) : day).atStartOfDay().toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException notADay) {
            try {
                return Instant.parse(value.strip());
            } catch (DateTimeParseException notAnInstant) {
                problems.add(new InvalidSubmissionException.Problem(name, "value_error",
                        name + " must be a day (2026-11-29) or an instant (2026-11-29T10:15:30Z)", value));
                return null;
            }
        }
    }
}
