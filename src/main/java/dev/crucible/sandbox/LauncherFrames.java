package dev.crucible.sandbox;

/**
 * Splits the launcher's single output stream back into the program's stdout and stderr. The
 * launcher (src/main/c/crucible-launch.c) writes frames: 1 byte stream (1 stdout, 2 stderr),
 * 4 bytes big-endian length, then the data; Docker may cut that byte stream anywhere, so the
 * state carries over between chunks. Bytes that break the format (only a program tampering with
 * the container's stdout could cause it) are passed on as stdout, never buffered without bound.
 */
final class LauncherFrames {

    static final int STDOUT = 1;
    static final int STDERR = 2;
    private static final int MAX_FRAME = 65536;

    /** Receives the program's output, chunk by chunk, in the order the launcher read it. */
    interface Sink {
        void accept(int stream, byte[] data, int offset, int length);
    }

    private final Sink sink;
    private final byte[] header = new byte[5];
    private int headerFill;
    private int stream;
    private int remaining;
    private boolean raw;

    LauncherFrames(Sink sink) {
        this.sink = sink;
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
                if ((stream != STDOUT && stream != STDERR) || remaining <= 0 || remaining > MAX_FRAME) {
                    raw = true;
                    sink.accept(STDOUT, header, 0, header.length);
                }
            }
        }
    }
}
