package dev.crucible.dispatch;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import dev.crucible.sandbox.BackendUnavailableException;
import dev.crucible.sandbox.ExecutionBackend;
import dev.crucible.sandbox.SandboxOutcome;
import dev.crucible.sandbox.SandboxRequest;

/**
 * An execution backend without containers, for dispatch's own tests: a program's code says what
 * its run does. {@code print('x')}-like code completes at once with its text as stdout;
 * {@code block} runs until it is cancelled or {@link #release()}d; {@code lost backend} makes
 * execute fail as if the daemon went away (once); {@code no backend} makes prepare fail (once).
 */
class FakeBackend implements ExecutionBackend {

    final AtomicBoolean available = new AtomicBoolean(true);
    final List<Listener> listeners = new CopyOnWriteArrayList<>();
    final List<String> prepared = new CopyOnWriteArrayList<>();
    final AtomicInteger closed = new AtomicInteger();
    final List<String> cancelled = new CopyOnWriteArrayList<>();
    final List<String> leftoversRemoved = new CopyOnWriteArrayList<>();
    final AtomicBoolean failPrepareOnce = new AtomicBoolean(true);
    final AtomicBoolean failExecuteOnce = new AtomicBoolean(true);
    private volatile CountDownLatch released = new CountDownLatch(1);
    volatile CountDownLatch blocking = new CountDownLatch(1);

    /** Back to the start: available, nothing prepared, the once-only failures armed again. */
    void reset() {
        available.set(true);
        prepared.clear();
        closed.set(0);
        cancelled.clear();
        leftoversRemoved.clear();
        failPrepareOnce.set(true);
        failExecuteOnce.set(true);
        released.countDown();
        released = new CountDownLatch(1);
        blocking = new CountDownLatch(1);
    }

    void setAvailable(boolean up) {
        available.set(up);
        if (up) {
            listeners.forEach(Listener::backendAvailable);
        }
    }

    void release() {
        released.countDown();
    }

    @Override
    public PreparedRun prepare(SandboxRequest request, RunOwner owner) {
        if (request.code().equals("no backend") && failPrepareOnce.getAndSet(false)) {
            throw new BackendUnavailableException("the fake backend refuses once", null);
        }
        prepared.add(owner.evalId() + "#" + owner.attempt());
        return new FakeRun(request, owner);
    }

    @Override
    public boolean isAvailable() {
        return available.get();
    }

    @Override
    public void addListener(Listener listener) {
        listeners.add(listener);
    }

    @Override
    public int reapLeftovers() {
        return 0;
    }

    @Override
    public void removeLeftoversOf(String evalId) {
        leftoversRemoved.add(evalId);
    }

    @Override
    public String imageDigest(String image, String imageId) {
        return "sha256:fake";
    }

    @Override
    public String imageProblem(String image) {
        return null;
    }

    private final class FakeRun implements PreparedRun {
        private final SandboxRequest request;
        private final RunOwner owner;
        private final CountDownLatch cancel = new CountDownLatch(1);

        FakeRun(SandboxRequest request, RunOwner owner) {
            this.request = request;
            this.owner = owner;
        }

        @Override
        public SandboxOutcome execute(OutputListener live) {
            Instant start = Instant.now();
            String code = request.code();
            if (code.equals("lost backend") && failExecuteOnce.getAndSet(false)) {
                throw new BackendUnavailableException("the fake backend went away", null);
            }
            if (code.equals("block")) {
                blocking.countDown();
                try {
                    while (cancel.getCount() > 0 && released.getCount() > 0) {
                        cancel.await(10, TimeUnit.MILLISECONDS);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                if (cancel.getCount() == 0) {
                    return outcome(SandboxOutcome.Kind.CANCELLED, null, "", "cancelled", "Cancelled by user", start);
                }
            }
            live.output(false, code + "\n");
            return outcome(SandboxOutcome.Kind.COMPLETED, 0, code + "\n", null, null, start);
        }

        private SandboxOutcome outcome(SandboxOutcome.Kind kind, Integer exit, String stdout, String reason, String error,
                Instant start) {
            return new SandboxOutcome(kind, exit, stdout, "", stdout, false, reason, error, 1L, 1L, 1024L, start, Instant.now(),
                    request.language().image(), "sha256:fake", null, null, null);
        }

        @Override
        public void cancel() {
            cancelled.add(owner.evalId());
            cancel.countDown();
        }

        @Override
        public void close() {
            closed.incrementAndGet();
        }
    }
}
