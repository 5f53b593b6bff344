package dev.crucible.evaluation;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the resource quantities the API accepts. Memory: Kubernetes forms ("128Mi", "1Gi",
 * "500M", "1G", plain bytes) and Docker's lower-case forms ("512m", "1g", binary units, since a
 * milli-byte means nothing). CPU: "500m" (millicores), "1", "0.5".
 */
final class Quantities {

    /** Longer text is refused unparsed (see {@link SubmissionValidator}); the longest sane one is about 10. */
    static final int MAX_LENGTH = 32;

    private static final Pattern MEMORY = Pattern.compile("^(\\d+(?:\\.\\d+)?)\\s*(Ki|Mi|Gi|Ti|K|M|G|T|k|m|g|t|b|B)?$");
    private static final Pattern CPU = Pattern.compile("^(\\d+(?:\\.\\d+)?)(m)?$");

    private Quantities() {
    }

    /** Bytes, or -1 if the text is not a memory quantity. */
    static long memoryBytes(String text) {
        if (text.length() > MAX_LENGTH) {
            return -1;
        }
        Matcher m = MEMORY.matcher(text.trim());
        if (!m.matches()) {
            return -1;
        }
        BigDecimal number = new BigDecimal(m.group(1));
        String unit = m.group(2) == null ? "" : m.group(2);
        long factor = switch (unit) {
            case "", "b", "B" -> 1L;
            case "Ki", "k" -> 1L << 10;
            case "Mi", "m" -> 1L << 20;
            case "Gi", "g" -> 1L << 30;
            case "Ti", "t" -> 1L << 40;
            case "K" -> 1_000L;
            case "M" -> 1_000_000L;
            case "G" -> 1_000_000_000L;
            case "T" -> 1_000_000_000_000L;
            default -> throw new IllegalStateException(unit);
        };
        BigDecimal bytes = number.multiply(BigDecimal.valueOf(factor));
        if (bytes.compareTo(BigDecimal.valueOf(Long.MAX_VALUE / 2)) > 0) {
            return -1;
        }
        return bytes.longValue();
    }

    /** Nano-CPUs, or -1 if the text is not a CPU quantity. */
    static long nanoCpus(String text) {
        if (text.length() > MAX_LENGTH) {
            return -1;
        }
        Matcher m = CPU.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            return -1;
        }
        BigDecimal number = new BigDecimal(m.group(1));
        BigDecimal nanos = m.group(2) != null
                ? number.multiply(BigDecimal.valueOf(1_000_000L))
                : number.multiply(BigDecimal.valueOf(1_000_000_000L));
        if (nanos.compareTo(BigDecimal.valueOf(1_000_000_000_000L)) > 0) {
            return -1;
        }
        return nanos.longValue();
    }
}
