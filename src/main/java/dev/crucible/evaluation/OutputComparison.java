package dev.crucible.evaluation;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * How a program's stdout is judged against an expected output, as judges do it: the verdict is
 * {@code passed} when the program completed and its stdout matches, {@code wrong_answer} when it
 * completed with other output, {@code error} when it did not complete, and none while it has not
 * ended.
 *
 * @param tolerance for {@link Mode#NUMERIC}: two numbers match when they differ by at most this
 *                  much, or by at most this fraction of the expected number
 */
public record OutputComparison(String expected, Mode mode, double tolerance) {

    public static final double DEFAULT_TOLERANCE = 1e-6;

    public enum Mode {
        /** Trailing white space of each line and of the whole output is ignored (the default). */
        TRIM,
        /** Byte for byte (line endings included). */
        EXACT,
        /** Any run of white space is equal to any other; leading and trailing white space is ignored. */
        TOKENS,
        /** As {@link #TOKENS}, and tokens that are both numbers match within the tolerance. */
        NUMERIC;

        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The mode a client named (null: the default); an unknown name is an IllegalArgumentException. */
        public static Mode parse(String name) {
            if (name == null) {
                return TRIM;
            }
            return Arrays.stream(values()).filter(m -> m.wire().equalsIgnoreCase(name.strip())).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("compare_mode must be one of " + names()));
        }

        public static List<String> names() {
            return Arrays.stream(values()).map(Mode::wire).toList();
        }
    }

    private static final Pattern WHITE = Pattern.compile("\\s+");
    private static final Pattern NUMBER = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

    /** The verdict on a run that ended with {@code status} and wrote {@code stdout}; null while it has not ended. */
    public String verdict(EvaluationStatus status, String stdout) {
        if (!status.isTerminal()) {
            return null;
        }
        if (status != EvaluationStatus.COMPLETED) {
            return "error";
        }
        return matches(stdout == null ? "" : stdout) ? "passed" : "wrong_answer";
    }

    boolean matches(String actual) {
        return switch (mode) {
            case EXACT -> expected.equals(actual);
            case TRIM -> trimmed(expected).equals(trimmed(actual));
            case TOKENS -> Arrays.equals(tokens(expected), tokens(actual));
            case NUMERIC -> numericallyEqual(tokens(expected), tokens(actual));
        };
    }

    /** Trailing white space of each line and of the whole text dropped; CRLF read as LF. */
    public static String trimmed(String text) {
        if (text == null) {
            return "";
        }
        return text.replace("\r\n", "\n").lines().map(String::stripTrailing).reduce((a, b) -> a + "\n" + b).orElse("")
                .stripTrailing();
    }

    private static String[] tokens(String text) {
        String stripped = text.strip();
        return stripped.isEmpty() ? new String[0] : WHITE.split(stripped);
    }

    private boolean numericallyEqual(String[] expectedTokens, String[] actualTokens) {
        if (expectedTokens.length != actualTokens.length) {
            return false;
        }
        for (int i = 0; i < expectedTokens.length; i++) {
            String e = expectedTokens[i];
            String a = actualTokens[i];
            if (e.equals(a)) {
                continue;
            }
            if (!NUMBER.matcher(e).matches() || !NUMBER.matcher(a).matches()) {
                return false;
            }
            double want = Double.parseDouble(e);
            double got = Double.parseDouble(a);
            double difference = Math.abs(want - got);
            if (!(difference <= tolerance || difference <= tolerance * Math.abs(want))) {
                return false;
            }
        }
        return true;
    }
}
