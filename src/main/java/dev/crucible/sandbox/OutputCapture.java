package dev.crucible.sandbox;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.StreamType;

/**
 * Reads a container's attached output while it runs and keeps at most {@code limit} bytes of the
 * program's stdout and of its stderr. The container's stdout carries the launcher's frames (the
 * program's two streams in the order they were read); its stderr carries the launcher's own
 * complaints, which count as the program's stderr. When a stream passes the limit, capture stops
 * and {@code onLimit} is called (it must only signal: no Docker call may be made from a frame
 * callback). Frames are decoded at once, so docker-java may reuse its read buffer afterwards.
 */
final class OutputCapture extends ResultCallback.Adapter<Frame> {

    /**
     * The captured text of a finished run, what the program used as the launcher measured it
     * (null when the launcher did not report: the run was killed, or never started), the files it
     * sent back from the collected folder and the notes on those it left out.
     */
    record Captured(String stdout, String stderr, String combined, boolean truncated, Long cpuTimeMs, Long peakMemoryKb,
            java.util.List<CollectedFile> files, java.util.List<String> notes, java.util.List<SandboxOutcome.CaseOutcome> cases,
            Long runtimeMs) {
    }

    /** The test case whose output is arriving. */
    private static final class CaseCapture {
        final int index;
        final StreamText stdout = new StreamText();
        final StreamText stderr = new StreamText();
        boolean truncated;

        CaseCapture(int index) {
            this.index = index;
        }
    }

    private final long limit;
    private final Runnable onLimit;
    private final StreamText stdout = new StreamText();
    private final StreamText stderr = new StreamText();
    private final StringBuilder combined = new StringBuilder();
    private final ExecutionBackend.OutputListener live;
    private final Collector collector;
    private final LauncherFrames frames;
    /** With test cases: what each case keeps per stream, the case whose output arrives, all cases' bytes. */
    private final long caseLimit;
    private CaseCapture current;
    private long caseBytes;
    private final java.util.List<SandboxOutcome.CaseOutcome> cases = new java.util.ArrayList<>();
    /** The program's run time as the launcher measured it (plain runs that ended by themselves). */
    private Long runtimeMs;
    private Long cpuTimeMs;
    private Long peakMemoryKb;
    private boolean truncated;
    private boolean limitSignalled;
    private Captured captured;
    private volatile Throwable failure;
    private final java.util.concurrent.CountDownLatch ended = new java.util.concurrent.CountDownLatch(1);
    private final java.util.concurrent.CompletableFuture<Trailer> trailer = new java.util.concurrent.CompletableFuture<>();

    /**
     * How the launcher said the program ended (its last frame): the wait status, whether the
     * launcher killed it at its time limit, and the container's processes at that moment.
     */
    record Trailer(int waitStatus, boolean timedOut, int processes) {

        boolean signalled() {
            return signalled(waitStatus);
        }

        int exitCode() {
            return exitCode(waitStatus);
        }

        static boolean signalled(int waitStatus) {
            return (waitStatus & 0x7f) != 0 && (waitStatus & 0x7f) != 0x7f;
        }

        /** As a shell reports it: 128 + the signal for a program a signal ended. */
        static int exitCode(int waitStatus) {
            return signalled(waitStatus) ? 128 + (waitStatus & 0x7f) : (waitStatus >> 8) & 0xff;
        }
    }

    /** Completes with the launcher's trailer, once every frame before it has been taken in. */
    java.util.concurrent.CompletableFuture<Trailer> trailer() {
        return trailer;
    }

    OutputCapture(long limit, Runnable onLimit) {
        this(limit, onLimit, null, 0, ExecutionBackend.OutputListener.NONE);
    }

    /**
     * @param limit bytes kept per stream; with test cases, of all cases' output together
     * @param collect what the launcher may send back, or null (then nothing is kept)
     * @param caseLimit with test cases, the bytes each case keeps per stream; 0 without
     * @param live hears each piece of the combined output as it is kept
     */
    OutputCapture(long limit, Runnable onLimit, SandboxRequest.Collect collect, long caseLimit,
            ExecutionBackend.OutputListener live) {
        this.limit = limit;
        this.live = live;
        this.onLimit = onLimit;
        this.caseLimit = caseLimit;
        this.collector = new Collector(collect == null ? 0 : collect.maxFiles(), collect == null ? 0 : collect.maxBytes());
        LauncherFrames.Usage usage = new LauncherFrames.Usage() {
            @Override
            public void accept(long cpuMicros, long maxRssKb) {
                used(cpuMicros, maxRssKb);
            }

            @Override
            public void ran(long micros) {
                runtimeMs = micros / 1000;
            }

            @Override
            public void ended(int waitStatus, int flags, int processes) {
                trailer.complete(new Trailer(waitStatus, (flags & 1) != 0, processes));
            }
        };
        this.frames = new LauncherFrames(this::keep, usage, collector, new LauncherFrames.Cases() {
            @Override
            public void start(int index) {
                current = new CaseCapture(index);
            }

            @Override
            public void end(int index, int waitStatus, int flags, long runtimeMicros, long cpuMicros, long maxRssKb) {
                CaseCapture c = current != null && current.index == index ? current : new CaseCapture(index);
                current = null;
                boolean signalled = Trailer.signalled(waitStatus);
                int exit = Trailer.exitCode(waitStatus);
                cases.add(new SandboxOutcome.CaseOutcome(index, exit, signalled, (flags & 1) != 0, (flags & 2) != 0,
                        c.stdout.finishText(), c.stderr.finishText(), c.truncated || (flags & 2) != 0, runtimeMicros / 1000,
                        cpuMicros / 1000, maxRssKb));
            }
        });
    }

    @Override
    public void onNext(Frame frame) {
        boolean signal;
        synchronized (this) {
            if (captured != null) {
                return;
            }
            byte[] payload = frame.getPayload();
            if (frame.getStreamType() == StreamType.STDERR) {
                keep(LauncherFrames.STDERR, payload, 0, payload.length);
            } else {
                frames.feed(payload);
            }
            signal = truncated && !limitSignalled;
            limitSignalled |= signal;
        }
        if (signal) {
            onLimit.run();
        }
    }

    private void used(long cpuMicros, long maxRssKb) {
        cpuTimeMs = cpuMicros / 1000;
        peakMemoryKb = maxRssKb;
    }

    private void keep(int stream, byte[] data, int offset, int length) {
        if (truncated) {
            return;
        }
        if (current != null) {
            StreamText text = stream == LauncherFrames.STDERR ? current.stderr : current.stdout;
            long room = Math.min(caseLimit - text.bytes(), limit - caseBytes);
            int kept = (int) Math.max(0, Math.min(room, length));
            text.append(data, offset, kept);
            caseBytes += kept;
            if (kept < length) {
                current.truncated = true;
                // past the cap of all cases together: the run stops (one case's own cap only cuts it)
                truncated |= caseBytes >= limit;
            }
            return;
        }
        StreamText text = stream == LauncherFrames.STDERR ? stderr : stdout;
        long room = limit - text.bytes();
        int kept = (int) Math.min(room, length);
        combine(stream == LauncherFrames.STDERR, text.append(data, offset, kept));
        if (kept < length) {
            truncated = true;
        }
    }

    /** Adds {@code text} to the combined output, and tells the live listener. */
    private void combine(boolean fromStderr, String text) {
        if (!text.isEmpty()) {
            combined.append(text);
            live.output(fromStderr, text);
        }
    }

    @Override
    public void onError(Throwable throwable) {
        failure = throwable;
        ended.countDown();
        super.onError(throwable);
    }

    @Override
    public void onComplete() {
        ended.countDown();
        super.onComplete();
    }

    /** Why the stream broke, if it did. */
    Throwable failure() {
        return failure;
    }

    /**
     * Waits until the stream has ended (the container exited and all its output arrived, or the
     * connection broke); true if it did within {@code timeout}.
     */
    boolean awaitEnd(java.time.Duration timeout) throws InterruptedException {
        return ended.await(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    /** Ends capture; output arriving later is ignored. */
    synchronized Captured finish() {
        if (captured == null) {
            combine(false, stdout.finish());
            combine(true, stderr.finish());
            collector.close();
            captured = new Captured(stdout.text(), stderr.text(), combined.toString(), truncated, cpuTimeMs, peakMemoryKb,
                    java.util.List.copyOf(collector.files), java.util.List.copyOf(collector.notes), java.util.List.copyOf(cases),
                    runtimeMs);
        }
        return captured;
    }

    /**
     * Keeps the launcher's files within the same caps the launcher was given (it is ours, but the
     * host does not rely on a process inside the container to keep them), and refuses a name that
     * is not a plain relative path.
     */
    private static final class Collector implements LauncherFrames.Files {
        private static final int MAX_NOTES = 50;
        private final int maxFiles;
        private final long maxBytes;
        private final java.util.List<CollectedFile> files = new java.util.ArrayList<>();
        private final java.util.List<String> notes = new java.util.ArrayList<>();
        private java.io.ByteArrayOutputStream current;
        private String currentName;
        private boolean currentExecutable;
        private long bytes;

        Collector(int maxFiles, long maxBytes) {
            this.maxFiles = maxFiles;
            this.maxBytes = maxBytes;
        }

        @Override
        public void file(boolean executable, String name) {
            close();
            if (files.size() >= maxFiles) {
                note(name + " was not kept: at most " + maxFiles + " files are");
                return;
            }
            if (!plainPath(name)) {
                note("a file with the name " + name.replaceAll("[\\x00-\\x1f\\x7f]", "?") + " was not kept: not a plain relative path");
                return;
            }
            current = new java.io.ByteArrayOutputStream();
            currentName = name;
            currentExecutable = executable;
        }

        @Override
        public void data(byte[] data, int offset, int length) {
            if (current == null) {
                return;
            }
            if (bytes + length > maxBytes) {
                note(currentName + " was not kept: the files passed the cap of " + maxBytes + " bytes");
                current = null;
                return;
            }
            current.write(data, offset, length);
            bytes += length;
        }

        @Override
        public void note(String text) {
            if (notes.size() < MAX_NOTES) {
                notes.add(text);
            }
        }

        void close() {
            if (current != null) {
                files.add(new CollectedFile(currentName, currentExecutable, current.toByteArray()));
                current = null;
            }
        }

        static boolean plainPath(String name) {
            if (name.isEmpty() || name.startsWith("/") || name.length() > 4000) {
                return false;
            }
            for (String part : name.split("/", -1)) {
                if (part.isEmpty() || part.equals(".") || part.equals("..")) {
                    return false;
                }
            }
            return name.chars().noneMatch(c -> c < 0x20 || c == 0x7f);
        }
    }
}
