package dev.crucible.live;

import java.util.ArrayList;
import java.util.List;

/**
 * Which stream each stretch of a run's combined output came from, as {@code
 * evaluation.output_segments} keeps it: {@code o<length>} (stdout) and {@code e<length>} (stderr)
 * joined by commas, lengths in UTF-16 units as the output column holds them. Past {@link
 * #MAX_SEGMENTS} stretches (a program that writes its two streams in turn, a byte at a time) the
 * rest is one {@code m<length>}: both streams, mixed.
 */
final class OutputSegments {

    static final int MAX_SEGMENTS = 10_000;

    /** A stretch of output; {@code stderr} is null for the mixed rest. {@code end} is its end's offset. */
    record Piece(Boolean stderr, String text, int end) {
    }

    private OutputSegments() {
    }

    /** Collects a run's segments as its output arrives. Not thread-safe. */
    static final class Builder {
        private final StringBuilder encoded = new StringBuilder();
        private int segments;
        private char last;
        private int lastLength;

        void add(boolean stderr, int length) {
            if (length == 0) {
                return;
            }
            char kind = segments >= MAX_SEGMENTS ? 'm' : stderr ? 'e' : 'o';
            if (kind == last) {
                lastLength += length;
                return;
            }
            close();
            last = kind;
            lastLength = length;
            segments++;
        }

        private void close() {
            if (last != 0) {
                encoded.append(encoded.isEmpty() ? "" : ",").append(last).append(lastLength);
            }
        }

        /** The encoded segments; null when no output arrived. */
        String encode() {
            if (last == 0) {
                return null;
            }
            return new StringBuilder(encoded).append(encoded.isEmpty() ? "" : ",").append(last).append(lastLength).toString();
        }
    }

    /**
     * The stretches of {@code output} from offset {@code from} on. Null segments (unknown) give
     * the rest as one stretch: stdout's when there is no stderr, stderr's when there is no stdout,
     * mixed otherwise. Segments that do not add up to the output's length (a row written by hand)
     * give way to the same fallback for whatever they do not cover.
     */
    static List<Piece> slice(String output, String segments, boolean hasStdout, boolean hasStderr, int from) {
        List<Piece> pieces = new ArrayList<>();
        if (output == null || from >= output.length()) {
            return pieces;
        }
        int at = 0;
        if (segments != null && !segments.isEmpty()) {
            for (String segment : segments.split(",")) {
                int length;
                try {
                    length = Integer.parseInt(segment.substring(1));
                } catch (RuntimeException e) {
                    break;
                }
                int end = Math.min(output.length(), at + length);
                if (end > from) {
                    char kind = segment.charAt(0);
                    pieces.add(new Piece(kind == 'm' ? null : kind == 'e', output.substring(Math.max(at, from), end), end));
                }
                at = end;
                if (at >= output.length()) {
                    return pieces;
                }
            }
        }
        int start = Math.max(at, from);
        if (start < output.length()) {
            Boolean stderr = hasStdout && hasStderr ? null : !hasStdout && hasStderr;
            pieces.add(new Piece(stderr, output.substring(start), output.length()));
        }
        return pieces;
    }
}
