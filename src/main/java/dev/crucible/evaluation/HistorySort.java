package dev.crucible.evaluation;

import java.util.Arrays;
import java.util.Locale;

/** The orders the history table offers; each ends with the submission order, so pages are stable. */
public enum HistorySort {
    CREATED("seq"),
    RUNTIME("runtime_ms"),
    CPU_TIME("cpu_time_ms"),
    PEAK_MEMORY("peak_memory_kb"),
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
        boolean measured = this == RUNTIME || this == CPU_TIME || this == PEAK_MEMORY;
        return column + " " + direction + (measured ? " NULLS LAST" : "") + ", seq DESC";
    }

    public String param() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static HistorySort parse(String value) {
        return Arrays.stream(values()).filter(s -> s.param().equalsIgnoreCase(value == null ? "" : value.strip()))
                .findFirst().orElse(CREATED);
    }
}
