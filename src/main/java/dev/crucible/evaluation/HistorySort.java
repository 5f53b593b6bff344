package dev.crucible.evaluation;

import java.util.Arrays;
import java.util.Locale;

/** The orders the history table offers; each ends with the submission order, so pages are stable. */
public enum HistorySort {
    CREATED("seq"),
    RUNTIME("runtime_ms"),
    STATUS("status"),
    LANGUAGE("language");

    private final String column;

    HistorySort(String column) {
        this.column = column;
    }

    String orderBy(boolean ascending) {
        String direction = ascending ? "ASC" : "DESC";
        if (this == CREATED) {
            return "seq " + direction;
        }
        return column + " " + direction + (this == RUNTIME ? " NULLS LAST" : "") + ", seq DESC";
    }

    public String param() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static HistorySort parse(String value) {
        return Arrays.stream(values()).filter(s -> s.param().equalsIgnoreCase(value == null ? "" : value.strip()))
                .findFirst().orElse(CREATED);
    }
}
