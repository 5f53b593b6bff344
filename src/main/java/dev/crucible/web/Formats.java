package dev.crucible.web;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import org.springframework.stereotype.Component;

/** How pages show times, sizes and durations ({@code ${@fmt.time(...)}} in templates). */
@Component("fmt")
public class Formats {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter PRECISE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneOffset.UTC);

    public String time(Instant instant) {
        return instant == null ? "" : TIME.format(instant);
    }

    public String preciseTime(Instant instant) {
        return instant == null ? "—" : PRECISE.format(instant) + " UTC";
    }

    public String between(Instant from, Instant to) {
        if (from == null || to == null) {
            return "—";
        }
        return millis(Duration.between(from, to).toMillis());
    }

    public String millis(Long ms) {
        if (ms == null) {
            return "—";
        }
        if (ms < 1000) {
            return ms + " ms";
        }
        return String.format("%.2f s", ms / 1000.0);
    }

    /** A relative path for a URL: each folder and the name encoded on its own, the slashes kept. */
    public static String urlPath(String relative) {
        return java.util.Arrays.stream(relative.split("/", -1))
                .map(part -> org.springframework.web.util.UriUtils.encodePathSegment(part, java.nio.charset.StandardCharsets.UTF_8))
                .collect(java.util.stream.Collectors.joining("/"));
    }

    /** A size measured in KiB (peak memory); a dash when it was not measured. */
    public String kib(Long kib) {
        if (kib == null) {
            return "—";
        }
        return kib < 1024 ? kib + " KiB" : bytes(kib * 1024);
    }

    public String bytes(long bytes) {
        if (bytes >= 1L << 30 && bytes % (1L << 30) == 0) {
            return bytes / (1L << 30) + " GiB";
        }
        if (bytes >= 1L << 20) {
            return bytes % (1L << 20) == 0 ? bytes / (1L << 20) + " MiB" : String.format("%.1f MiB", bytes / (double) (1L << 20));
        }
        return bytes + " bytes";
    }
}
