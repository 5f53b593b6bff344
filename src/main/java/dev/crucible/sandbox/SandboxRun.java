package dev.crucible.sandbox;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.WaitResponse;
import dev.crucible.docker.Docker;
import dev.crucible.docker.DockerDaemon;
import dev.crucible.docker.DockerUnavailableException;
import dev.crucible.sandbox.SandboxOutcome.Kind;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One prepared container: {@link #execute()} starts it (or, for a pooled container, delivers its
 * program) and waits for whichever comes first: the launcher's trailer (the program ended, or the
 * launcher killed it at its time limit), the container's exit, its output passing the cap, a
 * cancel, or the host's own clock (the time limit and a second more: a launcher that did not
 * report is frozen and killed from here; with test cases, the host keeps the limit of them all).
 * {@link #close()} removes it.
 */
public final class SandboxRun implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SandboxRun.class);

    private enum Interruption { OUTPUT_LIMIT, CANCELLED }

    /** How long past a pooled run's time limit the host waits for the launcher's kill before its own. */
    private static final long LAUNCHER_CLOCK_SLACK_MS = 1000;

    private final Docker docker;
    private final DockerDaemon daemon;
    private final SandboxProperties properties;
    private final SandboxRequest request;
    private final String containerId;
    /** A pooled container's delivery (its program, over the attached stdin); null for a fresh container. */
    private final byte[] delivery;
    /** A pooled container's image id, known since it started; null for a fresh container (inspected). */
    private final String pooledImageId;
    /**
     * When the program was started: a pooled container got its program (its run starts there, not
     * at the container's start), or a fresh one was started.
     */
    private Instant deliveredAt;
    private final CompletableFuture<Integer> exited = new CompletableFuture<>();
    private final CompletableFuture<Interruption> interrupted = new CompletableFuture<>();
    private volatile boolean closed;

    SandboxRun(Docker docker, DockerDaemon daemon, SandboxProperties properties, SandboxRequest request,
            String containerId, byte[] delivery, String pooledImageId) {
        this.docker = docker;
        this.daemon = daemon;
        this.properties = properties;
        this.request = request;
        this.containerId = containerId;
        this.delivery = delivery;
        this.pooledImageId = pooledImageId;
    }

    /** A pooled container, already running, whose launcher waits for its program. */
    private boolean pooled() {
        return delivery != null;
    }

    /** The launcher keeps the time limit (a plain run: test cases are each timed by it, and all of them by the host). */
    private boolean launcherTimesIt() {
        return request.cases().isEmpty();
    }

    public String containerId() {
        return containerId;
    }

    /** Asks the run to stop; safe from any thread, before or during {@link #execute()}. */
    public void cancel() {
        interrupted.complete(Interruption.CANCELLED);
    }

    /**
     * Starts the container and returns its outcome.
     *
     * @throws DockerUnavailableException the daemon stopped answering during the run
     */
    public SandboxOutcome execute() {
        return execute(ExecutionBackend.OutputListener.NONE);
    }

    /** Starts the container and returns its outcome; {@code live} hears the output meanwhile. */
    public SandboxOutcome execute(ExecutionBackend.OutputListener live) {
        try {
            return run(live);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill();
            throw new IllegalStateException("interrupted while running " + request.containerName(), e);
        } catch (RuntimeException e) {
            throw DockerUnavailableException.translate(e, daemon);
        }
    }

    private SandboxOutcome run(ExecutionBackend.OutputListener live) throws InterruptedException {
        OutputCapture capture = new OutputCapture(request.cases().isEmpty() ? properties.outputLimit().toBytes()
                : properties.testCasesOutputLimit().toBytes(), () -> interrupted.complete(Interruption.OUTPUT_LIMIT),
                request.collect(), request.cases().isEmpty() ? 0 : properties.outputLimit().toBytes(), live);
        if (pooled() && interrupted.getNow(null) == Interruption.CANCELLED) {
            return notStarted(capture);
        }
        var attach = docker.streams().attachContainerCmd(containerId)
                .withStdOut(true)
                .withStdErr(true)
                .withFollowStream(true)
                .withLogs(false);
        if (pooled()) {
            attach.withStdIn(new java.io.ByteArrayInputStream(delivery));
            deliveredAt = Instant.now();
        }
        attach.exec(capture);
        try {
            if (!capture.awaitStarted(10, TimeUnit.SECONDS)) {
                Throwable failure = capture.failure();
                throw failure != null ? asRuntime(failure)
                        : new DockerUnavailableException("could not attach to " + request.containerName() + " within 10 s", null);
            }
            if (!pooled() && interrupted.getNow(null) == Interruption.CANCELLED) {
                return notStarted(capture);
            }
            if (!pooled()) {
                docker.calls().startContainerCmd(containerId).exec();
                deliveredAt = Instant.now();
            }
            ResultCallback.Adapter<WaitResponse> wait = docker.streams().waitContainerCmd(containerId).exec(new ExitWatcher());
            try {
                return awaitEnd(capture);
            } finally {
                closeQuietly(wait);
            }
        } finally {
            closeQuietly(capture);
        }
    }

    private SandboxOutcome awaitEnd(OutputCapture capture) throws InterruptedException {
        Interruption interruption = null;
        boolean timedOut = false;
        try {
            // a run ends with the launcher's trailer, before its container has exited; the launcher
            // keeps a plain run's time limit, and the host's clock only backs it up
            Object first = CompletableFuture.anyOf(exited, interrupted, capture.trailer())
                    .get(request.timeout().toMillis() + (launcherTimesIt() ? LAUNCHER_CLOCK_SLACK_MS : 0), TimeUnit.MILLISECONDS);
            if (first instanceof Interruption i) {
                interruption = i;
            }
            if (first instanceof OutputCapture.Trailer trailer) {
                SandboxOutcome ended = fromTrailer(capture, trailer);
                if (ended != null) {
                    return ended;
                }
                // killed by a signal the launcher did not send: only the daemon knows whether the
                // out-of-memory killer sent it, once the container has exited (the launcher exits now)
                awaitExit();
            }
        } catch (TimeoutException e) {
            timedOut = true;
        } catch (ExecutionException e) {
            throw asRuntime(e.getCause());
        }
        boolean processLimitHit = false;
        Instant frozenAt = null;
        if (timedOut || interruption != null) {
            if (timedOut) {
                // Freeze first: the program stops at its limit, and whatever is found out about it
                // afterwards (is it a fork bomb?) costs it no time.
                frozenAt = freeze();
                if (properties.processLimitProbe()) {
                    processLimitHit = atProcessLimit();
                }
            }
            kill();
            awaitExit();
        }
        // The attach stream ends when the container exits; wait for its last frames.
        boolean complete = capture.awaitEnd(properties.killGrace());
        OutputCapture.Captured output = capture.finish();
        if (!complete) {
            log.warn("The output stream of {} did not end within {} after the exit; its tail may be missing",
                    request.containerName(), properties.killGrace());
        }
        InspectContainerResponse container = docker.calls().inspectContainerCmd(containerId).exec();
        return classify(output, container, timedOut, processLimitHit, interruption, frozenAt);
    }

    /**
     * A run whose launcher sent its trailer: everything is known without waiting for the exit, except
     * after a SIGKILL the launcher did not send (null: then the daemon is asked whether the
     * out-of-memory killer sent it).
     */
    private SandboxOutcome fromTrailer(OutputCapture capture, OutputCapture.Trailer trailer) {
        if (trailer.signalled() && trailer.exitCode() == 128 + 9 && !trailer.timedOut()) {
            return null;
        }
        OutputCapture.Captured output = capture.finish();
        Instant finishedAt = Instant.now();
        Long runtimeMs = output.runtimeMs() != null ? output.runtimeMs() : Duration.between(deliveredAt, finishedAt).toMillis();
        boolean processLimitHit = trailer.timedOut() && properties.processLimitProbe()
                && trailer.processes() >= properties.pidsLimit() - 2;
        String imageId = pooledImageId != null ? pooledImageId
                : docker.calls().inspectContainerCmd(containerId).exec().getImageId();
        return classify(output, trailer.exitCode(), false, trailer.timedOut(), processLimitHit, null, runtimeMs,
                deliveredAt, deliveredAt.plusMillis(runtimeMs), imageId);
    }

    private SandboxOutcome classify(OutputCapture.Captured output, InspectContainerResponse container,
            boolean timedOut, boolean processLimitHit, Interruption interruption, Instant frozenAt) {
        InspectContainerResponse.ContainerState state = container.getState();
        Integer exitCode = state.getExitCode();
        // a pooled container ran before its program existed: the program started when it arrived
        Instant startedAt = pooled() ? deliveredAt : instant(state.getStartedAt());
        Instant finishedAt = instant(state.getFinishedAt());
        if (frozenAt != null && finishedAt != null && startedAt != null && frozenAt.isAfter(startedAt)
                && frozenAt.isBefore(finishedAt)) {
            // a frozen program runs no more: its run ended when it was frozen, not when it was killed
            finishedAt = frozenAt;
        }
        // the launcher's clock when it reported (the program ended by itself): from the program's
        // start to its exit. Otherwise (killed at a limit) the daemon's, ended at the freeze.
        Long runtimeMs = output.runtimeMs() != null && !timedOut && interruption == null ? output.runtimeMs()
                : startedAt != null && finishedAt != null && !finishedAt.isBefore(startedAt)
                        ? Duration.between(startedAt, finishedAt).toMillis() : null;
        return classify(output, exitCode, Boolean.TRUE.equals(state.getOOMKilled()), timedOut, processLimitHit, interruption,
                runtimeMs, startedAt, finishedAt, container.getImageId());
    }

    private SandboxOutcome classify(OutputCapture.Captured output, Integer exitCode, boolean oomKilled, boolean timedOut,
            boolean processLimitHit, Interruption interruption, Long runtimeMs, Instant startedAt, Instant finishedAt,
            String imageId) {
        Kind kind;
        String reason;
        String error;
        if (interruption == Interruption.CANCELLED) {
            kind = Kind.CANCELLED;
            reason = "cancelled";
            error = "Cancelled by user";
        } else if (timedOut) {
            kind = Kind.TIMEOUT;
            if (processLimitHit) {
                reason = "process_limit";
                error = "Timed out after " + seconds(request.timeout()) + " while at the process limit ("
                        + properties.pidsLimit() + " processes): a fork bomb was contained and killed";
            } else {
                reason = "timeout";
                error = "Timed out after " + seconds(request.timeout()) + "; the program was killed";
            }
        } else if (interruption == Interruption.OUTPUT_LIMIT || output.truncated()) {
            kind = Kind.FAILED;
            reason = "output_limit";
            error = "Output exceeded the limit of " + properties.outputLimit().toBytes()
                    + " bytes per stream; the program was killed and its output truncated";
        } else if (oomKilled && (exitCode == null || exitCode != 0)) {
            kind = Kind.FAILED;
            reason = "memory_limit";
            error = "Killed by the out-of-memory killer: the program exceeded its memory limit of "
                    + request.memoryBytes() / (1024 * 1024) + " MiB";
        } else if (exitCode != null && exitCode == 0) {
            kind = Kind.COMPLETED;
            reason = null;
            error = oomKilled ? "A child process was killed by the out-of-memory killer" : null;
        } else {
            kind = Kind.FAILED;
            reason = "nonzero_exit";
            error = null;
        }
        return new SandboxOutcome(kind, exitCode, output.stdout(), output.stderr(), output.combined(),
                output.truncated(), reason, error, runtimeMs, output.cpuTimeMs(), output.peakMemoryKb(), startedAt, finishedAt,
                request.language().image(), imageId, output.files(), output.notes(), output.cases());
    }

    private SandboxOutcome notStarted(OutputCapture capture) {
        OutputCapture.Captured output = capture.finish();
        return new SandboxOutcome(Kind.CANCELLED, null, output.stdout(), output.stderr(), output.combined(), false,
                "cancelled", "Cancelled by user", null, null, null, null, null, request.language().image(), null, null, null, null);
    }

    /**
     * Freezes every process of the container (the cgroup freezer, tens of milliseconds) and says
     * when; null when it could not be frozen (it has just exited, say), and then the kill follows
     * at once all the same.
     */
    private Instant freeze() {
        try {
            docker.calls().pauseContainerCmd(containerId).exec();
            return Instant.now();
        } catch (RuntimeException e) {
            log.debug("Could not freeze {} at its time limit: {}", request.containerName(), e.toString());
            return null;
        }
    }

    /**
     * Counts the (frozen) container's processes: a fork bomb sits at the pids limit. The process
     * list answers in milliseconds, where a stats sample waits a second for two CPU readings.
     */
    private boolean atProcessLimit() {
        try {
            String[][] processes = docker.calls().topContainerCmd(containerId).exec().getProcesses();
            return processes != null && processes.length >= properties.pidsLimit() - 2;
        } catch (RuntimeException e) {
            log.debug("Could not count processes of {}: {}", request.containerName(), e.toString());
            return false;
        }
    }

    private void kill() {
        try {
            docker.calls().killContainerCmd(containerId).exec();
        } catch (NotFoundException | ConflictException e) {
            // not running any more (it exited on its own, or a kill is already under way)
        }
    }

    private void awaitExit() throws InterruptedException {
        try {
            exited.get(properties.killGrace().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            log.warn("Container {} did not report its exit within {} after the kill", request.containerName(),
                    properties.killGrace());
        } catch (ExecutionException e) {
            throw asRuntime(e.getCause());
        }
    }

    /** Removes the container and its volume, whatever happened. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        ContainerRemoval.remove(docker, daemon, containerId, request.containerName());
    }

    private final class ExitWatcher extends ResultCallback.Adapter<WaitResponse> {
        @Override
        public void onNext(WaitResponse response) {
            exited.complete(response.getStatusCode());
        }

        @Override
        public void onError(Throwable throwable) {
            exited.completeExceptionally(throwable);
        }

        @Override
        public void onComplete() {
            // the daemon closed the stream without an exit code: the connection to it was lost
            exited.completeExceptionally(new java.io.IOException("the wait stream ended without an exit code"));
            super.onComplete();
        }
    }

    private static RuntimeException asRuntime(Throwable t) {
        return t instanceof RuntimeException r ? r : new IllegalStateException(t);
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            // nothing left to do with a stream that will not close
        }
    }

    private static Instant instant(String dockerTime) {
        if (dockerTime == null || dockerTime.startsWith("0001-")) {
            return null;
        }
        try {
            return Instant.parse(dockerTime);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static String seconds(Duration duration) {
        long millis = duration.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + " s" : millis / 1000.0 + " s";
    }
}
