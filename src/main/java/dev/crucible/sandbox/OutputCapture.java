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

    /** The captured text of a finished run. */
    /**
     * The captured text of a finished run, and what the program used as the launcher measured it
     * (null when the launcher did not report: the run was killed, or never started).
     */
    record Captured(String stdout, String stderr, String combined, boolean truncated, Long cpuTimeMs, Long peakMemoryKb) {
    }

    private final long limit;
    private final Runnable onLimit;
    private final StreamText stdout = new StreamText();
    private final StreamText stderr = new StreamText();
    private final StringBuilder combined = new StringBuilder();
    private final LauncherFrames frames = new LauncherFrames(this::keep, this::used);
    private Long cpuTimeMs;
    private Long peakMemoryKb;
    private boolean truncated;
    private boolean limitSignalled;
    private Captured captured;
    private volatile Throwable failure;
    private final java.util.concurrent.CountDownLatch ended = new java.util.concurrent.CountDownLatch(1);

    OutputCapture(long limit, Runnable onLimit) {
        this.limit = limit;
        this.onLimit = onLimit;
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
        StreamText text = stream == LauncherFrames.STDERR ? stderr : stdout;
        long room = limit - text.bytes();
        int kept = (int) Math.min(room, length);
        combined.append(text.append(data, offset, kept));
        if (kept < length) {
            truncated = true;
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
            combined.append(stdout.finish());
            combined.append(stderr.finish());
            captured = new Captured(stdout.text(), stderr.text(), combined.toString(), truncated, cpuTimeMs, peakMemoryKb);
        }
        return captured;
    }
}
