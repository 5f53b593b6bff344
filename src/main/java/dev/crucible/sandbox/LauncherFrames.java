package dev.crucible.sandbox;

/**
 * Splits the launcher's single output stream back into the program's stdout and stderr. The
 * launcher (src/main/c/crucible-launch.c) writes frames: 1 byte stream (1 stdout, 2 stderr),
 * 4 bytes big-endian length, then the data; Docker may cut that byte stream anywhere, so the
 * state carries over between chunks. The last frame, stream 3 of exactly 16 bytes, is the
 * launcher's usage report (CPU microseconds and peak resident KiB), handed to a {@link Usage}
 * sink and never shown as output. With {@code --collect}, file frames follow (stream 4: 1 byte
 * flags, then the file's relative path; stream 5: its bytes; stream 6: a note on what was left
 * out), handed to a {@link Files} sink. The launcher's trailer (stream 10) ends the stream. Bytes that break the format (only a program tampering with the
 * container's stdout could cause it) are passed on as stdout, never buffered without bound.
 */
final class LauncherFrames {

    static final int STDOUT = 1;
    static final int STDERR = 2;
    static final int USAGE = 3;
    static final int FILE = 4;
    static final int FILE_DATA = 5;
    static final int NOTE = 6;
    static final int CASE_START = 7;
    static final int CASE_END = 8;
    private static final int CASE_START_LENGTH = 4;
    private static final int CASE_END_LENGTH = 33;
    static final int RUN_TIME = 9;
    private static final int RUN_TIME_LENGTH = 8;
    static final int TRAILER = 10;
    private static final int TRAILER_LENGTH = 9;
    private static final int USAGE_LENGTH = 16;
    private static final int MAX_FRAME = 65536;
    /** A path (the launcher sends at most 4000 bytes of one) or a note. */
    private static final int MAX_SMALL = 8192;

    /** Receives the program's output, chunk by chunk, in the order the launcher read it. */
    interface Sink {
        void accept(int stream, byte[] data, int offset, int length);
    }

    /** Receives the launcher's usage report: CPU time in microseconds, peak resident size in KiB. */
    interface Usage {
        void accept(long cpuMicros, long maxRssKb);

        /** The program's wall time from its start to its exit, as the launcher measured it (plain runs). */
        default void ran(long micros) {
        }

        /**
         * The launcher's last frame: the program's wait status, flags (1: killed at the launcher's
         * time limit) and how many processes the container held then.
         */
        default void ended(int waitStatus, int flags, int processes) {
        }
    }

    /** Receives the collected files (see crucible-launch.c's --collect), in the order they were sent. */
    interface Files {
        void file(boolean executable, String name);

        void data(byte[] data, int offset, int length);

        void note(String text);
    }

    /** Receives the test cases' boundaries (see crucible-launch.c's --cases); output between them is the case's. */
    interface Cases {
        void start(int index);

        /** @param flags 1: killed at its time limit, 2: killed at its output limit */
        void end(int index, int waitStatus, int flags, long runtimeMicros, long cpuMicros, long maxRssKb);
    }

    private static final Cases NO_CASES = new Cases() {
        @Override
        public void start(int index) {
        }

        @Override
        public void end(int index, int waitStatus, int flags, long runtimeMicros, long cpuMicros, long maxRssKb) {
        }
    };

    private static final Files NO_FILES = new Files() {
        @Override
        public void file(boolean executable, String name) {
        }

        @Override
        public void data(byte[] data, int offset, int length) {
        }

        @Override
        public void note(String text) {
        }
    };

    private final Sink sink;
    private final Usage usage;
    private final Files files;
    private final Cases cases;
    /** A file or note frame, kept whole until it is complete (they are small: a path or a sentence). */
    private final java.io.ByteArrayOutputStream small = new java.io.ByteArrayOutputStream();
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
        this(sink, usage, NO_FILES);
    }

    LauncherFrames(Sink sink, Usage usage, Files files) {
        this(sink, usage, files, NO_CASES);
    }

    LauncherFrames(Sink sink, Usage usage, Files files, Cases cases) {
        this.sink = sink;
        this.usage = usage;
        this.files = files;
        this.cases = cases;
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
                if (stream == FILE || stream == NOTE || stream == CASE_START || stream == CASE_END || stream == RUN_TIME
                        || stream == TRAILER) {
                    small.write(data, i, n);
                    if (remaining == n) {
                        byte[] whole = small.toByteArray();
                        small.reset();
                        java.nio.ByteBuffer figures = java.nio.ByteBuffer.wrap(whole);
                        if (stream == RUN_TIME) {
                            usage.ran(figures.getLong());
                        } else if (stream == TRAILER) {
                            usage.ended(figures.getInt(), figures.get() & 0xff, figures.getInt());
                        } else if (stream == CASE_START) {
                            cases.start(figures.getInt());
                        } else if (stream == CASE_END) {
                            cases.end(figures.getInt(), figures.getInt(), figures.get() & 0xff, figures.getLong(),
                                    figures.getLong(), figures.getLong());
                        } else if (stream == NOTE) {
                            files.note(new String(whole, java.nio.charset.StandardCharsets.UTF_8));
                        } else {
                            files.file((whole[0] & 1) != 0,
                                    new String(whole, 1, whole.length - 1, java.nio.charset.StandardCharsets.UTF_8));
                        }
                    }
                } else if (stream == FILE_DATA) {
                    files.data(data, i, n);
                } else {
                    sink.accept(stream, data, i, n);
                }
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
                boolean known = stream == STDOUT || stream == STDERR || stream == FILE_DATA
                        || (stream == USAGE && remaining == USAGE_LENGTH)
                        || ((stream == FILE || stream == NOTE) && remaining <= MAX_SMALL && (stream != FILE || remaining > 1))
                        || (stream == CASE_START && remaining == CASE_START_LENGTH)
                        || (stream == CASE_END && remaining == CASE_END_LENGTH)
                        || (stream == RUN_TIME && remaining == RUN_TIME_LENGTH)
                        || (stream == TRAILER && remaining == TRAILER_LENGTH);
                if (!known || remaining <= 0 || remaining > MAX_FRAME) {
                    raw = true;
                    sink.accept(STDOUT, header, 0, header.length);
                }
            }
        }
    }
}
