package dev.crucible.sandbox;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Decodes one output stream as UTF-8 while it arrives in chunks of any size: a character split
 * between two chunks is kept whole, and bytes that are not UTF-8 become U+FFFD instead of failing.
 */
final class StreamText {

    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPLACE)
            .onUnmappableCharacter(CodingErrorAction.REPLACE);
    private final StringBuilder text = new StringBuilder();
    private ByteBuffer pending = ByteBuffer.allocate(0);
    private long bytes;

    long bytes() {
        return bytes;
    }

    /** Adds {@code length} bytes from {@code offset} and returns the characters they completed. */
    String append(byte[] chunk, int offset, int length) {
        bytes += length;
        ByteBuffer in = ByteBuffer.allocate(pending.remaining() + length);
        in.put(pending).put(chunk, offset, length).flip();
        CharBuffer out = CharBuffer.allocate(in.remaining() + 1);
        decoder.decode(in, out, false);
        pending = in.slice();
        return take(out);
    }

    /** Ends the stream; an incomplete trailing sequence becomes U+FFFD. */
    String finish() {
        CharBuffer out = CharBuffer.allocate(pending.remaining() + 2);
        decoder.decode(pending, out, true);
        decoder.flush(out);
        pending = ByteBuffer.allocate(0);
        return take(out);
    }

    String text() {
        return text.toString();
    }

    /** Ends the stream and gives all its text. */
    String finishText() {
        finish();
        return text();
    }

    private String take(CharBuffer out) {
        out.flip();
        String decoded = out.toString();
        text.append(decoded);
        return decoded;
    }
}
