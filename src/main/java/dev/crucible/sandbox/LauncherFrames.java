package dev.crucible.sandbox;

/**
 * Splits the launcher's single output stream back into the program's stdout and stderr. The
 * launcher (src/main/c/crucible-launch.c) writes frames: 1 byte stream (1 stdout, 2 stderr),
 * 4 bytes big-endian length, then the data; Docker may cut that byte stream anywhere, so the
 * state carries over between chunks. The last frame, stream 3 of exactly 16 bytes, is the
 * launcher's usage report (CPU microseconds and peak resident KiB), handed to a {@link Usage}
 * sink and never shown as output. Bytes that break the format (only a program tampering with the
 * container's stdout could cause it) are passed on as stdout, never buffered without bound.
 */
final class LauncherFrames {

    static final int STDOUT = 1;
    static final int STDERR = 2;
    static final int USAGE = 3;
    private static final int USAGE_LENGTH = 16;
    private static final int MAX_FRAME = 65536;

    /** Receives the program's output, chunk by chunk, in the order the launcher read it. */
    interface Sink {
        void accept(int stream, byte[] data, int offset, int length);
    }

    /** Receives the launcher's usage report: CPU time in microseconds, peak resident size in KiB. */
    interface Usage {
        void accept(long cpuMicros, long maxRssKb);
    }

    private final Sink sink;
    private final Usage usage;
    private final byte[] usageFrame = new byte[USAGE_LENGTH];
    private final byte[] header = new byte[5];
    private int headerFill;
    private int stream;
    private int remaining;
    private boolean raw;

    LauncherFrames(Sink sink) {
        this(sink, (cpuMicros, maxRssKb) -> { });
    }

    LauncherFrames(Sink sink, Usage usage) {
        this.sink = sink;
        this.usage = usage;
    }

    void feed(byte[] data) {
        int i = 0;
        while (i < data.length) {
            if (raw) {
                sink.accept(STDOUT, data, i, data.length - i);
                return;
            }
            if (remaining > 0) {
                int n = Math.min(remaining, data.length - i);
                if (stream == USAGE) {
                    System.arraycopy(data, i, usageFrame, USAGE_LENGTH - remaining, n);
                    if (remaining == n) {
                        java.nio.ByteBuffer figures = java.nio.ByteBuffer.wrap(usageFrame);
                        usage.accept(figures.getLong(), figures.getLong());
                    }
                    remaining -= n;
                    i += n;
                    continue;
                }
                sink.accept(stream, data, i, n);
                remaining -= n;
                i += n;
                continue;
            }
            header[headerFill++] = data[i++];
            if (headerFill == header.length) {
                headerFill = 0;
                stream = header[0];
                remaining = ((header[1] & 0xff) << 24) | ((header[2] & 0xff) << 16) | ((header[3] & 0xff) << 8)
                        | (header[4] & 0xff);
                boolean usageFrameOk = stream == USAGE && remaining == USAGE_LENGTH;
                if ((stream != STDOUT && stream != STDERR && !usageFrameOk) || remaining <= 0 || remaining > MAX_FRAME) {
                    raw = true;
                    sink.accept(STDOUT, header, 0, header.length);
                }
            }
        }
    }
}
