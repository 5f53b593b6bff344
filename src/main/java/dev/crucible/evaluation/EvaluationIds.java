package dev.crucible.evaluation;

import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;

/**
 * Ids in the original platform's form, {@code 20250101_120000_abcdef12}: UTC second of
 * submission plus 32 random bits. Readable, sortable by time, and valid in container names.
 */
final class EvaluationIds {

    private static final DateTimeFormatter SECOND = DateTimeFormatter.ofPattern("yyyyMMdd_HHmmss").withZone(ZoneOffset.UTC);
    private static final SecureRandom RANDOM = new SecureRandom();

    private EvaluationIds() {
    }

    static String next(Instant now) {
        byte[] random = new byte[4];
        RANDOM.nextBytes(random);
        return SECOND.format(now) + "_" + HexFormat.of().formatHex(random);
    }

    /** What an id may look like: it ends up in container names and URLs. */
    static boolean isWellFormed(String id) {
        return id != null && id.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
    }
}
