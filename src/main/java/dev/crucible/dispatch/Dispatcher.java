package dev.crucible.dispatch;

import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.crucible.docker.DockerDaemon;
import dev.crucible.evaluation.Evaluation;
import dev.crucible.evaluation.EvaluationEvents;
import dev.crucible.evaluation.EvaluationQueue;
import dev.crucible.evaluation.QueueDatabase;
import dev.crucible.sandbox.OrphanReaper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.annotation.Scheduled;
import dev.crucible.node.RunsEvaluations;
import org.springframework.stereotype.Component;

/**
 * Claims queued evaluations and runs at most {@code crucible.worker.concurrency} of them at once,
 * whose memory limits add up to at most the memory budget (the next in line waits until its
 * limit fits).
 * It wakes when work is submitted, when a slot frees up and when the Docker daemon comes back,
 * and otherwise looks at the queue every {@code poll-interval}. While Docker is down it claims
 * nothing, so submissions stay queued.
 */
@Component
@RunsEvaluations
public class Dispatcher implements SmartLifecycle, DockerDaemon.Listener {

    private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);

    private final EvaluationQueue queue;
    private final EvaluationRunner runner;
    private final ActiveRuns activeRuns;
    private final WorkerIdentity worker;
    private final DockerDaemon daemon;
    private final OrphanReaper reaper;
    private final AbandonedWorkRecovery recovery;
    private final DispatchProperties properties;
    private final MemoryBudget memoryBudget;
    private final int concurrency;
    private final Semaphore slots;
    private final Signal wake = new Signal();
    private volatile boolean running;
    private volatile boolean draining;
    private Thread loop;
    private ExecutorService workers;

    Dispatcher(EvaluationQueue queue, EvaluationRunner runner, ActiveRuns activeRuns, WorkerIdentity worker,
            DockerDaemon daemon, OrphanReaper reaper, AbandonedWorkRecovery recovery, DispatchProperties properties,
            WorkerProperties workerProperties, MemoryBudget memoryBudget) {
        this.memoryBudget = memoryBudget;
        this.queue = queue;
        this.runner = runner;
        this.activeRuns = activeRuns;
        this.worker = worker;
        this.daemon = daemon;
        this.reaper = reaper;
        this.recovery = recovery;
        this.properties = properties;
        this.concurrency = workerProperties.effectiveConcurrency();
        this.slots = new Semaphore(concurrency);
        daemon.addListener(this);
    }

    public int concurrency() {
        return concurrency;
    }

    public String workerId() {
        return worker.id();
    }

    public int running() {
        return activeRuns.size();
    }

    /** A draining worker claims nothing new and finishes what it runs; false resumes it. */
    void drain(boolean drain) {
        if (draining != drain) {
            log.info(drain ? "Draining: no new claims; {} running evaluations finish" : "Resuming claims ({} running)",
                    activeRuns.size());
            draining = drain;
            wake.raise();
        }
    }

    /** The memory budget of this worker and how much of it running evaluations hold. */
    public record MemoryUse(long budgetBytes, long inUseBytes) {
    }

    public MemoryUse memoryUse() {
        return new MemoryUse(memoryBudget.memoryBudgetBytes(), activeRuns.memoryInUse());
    }

    @Override
    public void start() {
        int recovered = recovery.recoverAtStartup();
        int reaped = reaper.reap();
        log.info("Dispatcher {} starts with {} slots ({} interrupted evaluations recovered, {} orphaned containers removed)",
                worker.id(), concurrency, recovered, reaped);
        workers = Executors.newFixedThreadPool(concurrency, named("evaluation-"));
        running = true;
        loop = named("dispatcher").newThread(this::dispatchLoop);
        loop.start();
    }

    private void dispatchLoop() {
        while (running) {
            try {
                if (!dispatchOne()) {
                    wake.await(properties.pollInterval());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException | Error e) {
                // nothing may end this loop but a stop: a dead dispatcher would leave the queue stuck
                log.error("Dispatching failed; trying again in {}", properties.pollInterval(), e);
                try {
                    wake.await(properties.pollInterval());
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** Claims and starts one evaluation; false when there is nothing to do now. */
    private boolean dispatchOne() {
        if (draining || !daemon.isUp() || !slots.tryAcquire()) {
            return false;
        }
        Optional<Evaluation> claimed;
        try {
            claimed = queue.claimNext(worker.id(), fairLane(), memoryBudget.memoryBudgetBytes() - activeRuns.memoryInUse());
        } catch (RuntimeException e) {
            slots.release();
            throw e;
        }
        if (claimed.isEmpty()) {
            slots.release();
            return false;
        }
        ActiveRun active = activeRuns.register(claimed.get());
        try {
            workers.execute(() -> runAndFreeSlot(active));
        } catch (RuntimeException rejected) {
            activeRuns.remove(active);
            slots.release();
            queue.release(claimed.get());
            throw rejected;
        }
        return true;
    }

    /**
     * Interactive work and batches share the slots: the next claim prefers the kind that holds
     * fewer slots now (interactive work on a tie), so a single evaluation submitted behind a
     * 5 000-script batch starts as soon as one slot frees, and a batch still gets half the slots
     * while people keep submitting. With only one kind queued, it gets every slot.
     */
    private QueueDatabase.Lane fairLane() {
        int batch = activeRuns.batchRuns();
        int interactive = activeRuns.size() - batch;
        return batch < interactive ? QueueDatabase.Lane.BATCH : QueueDatabase.Lane.INTERACTIVE;
    }

    private void runAndFreeSlot(ActiveRun active) {
        try {
            runner.run(active);
        } finally {
            activeRuns.remove(active);
            slots.release();
            wake.raise();
        }
    }

    @EventListener
    void onSubmitted(EvaluationEvents.Submitted submitted) {
        wake.raise();
    }

    @EventListener
    void onCancelRequested(EvaluationEvents.CancelRequested request) {
        activeRuns.cancel(request.evalId());
    }

    @Override
    public void dockerAvailable() {
        wake.raise();
    }

    /**
     * Proves this worker alive for the runs it really holds (also while it stops), and passes on
     * cancel requests made on other hosts. A row claimed here but no longer held (its result could
     * not be written, say) gets no heartbeat, so recovery picks it up.
     */
    @Scheduled(fixedDelayString = "${crucible.dispatch.heartbeat-interval:5s}")
    void heartbeat() {
        java.util.Set<String> held = activeRuns.ids();
        if (held.isEmpty()) {
            return;
        }
        queue.heartbeat(worker.id(), held);
        queue.cancelRequested(worker.id()).forEach(activeRuns::cancel);
    }

    @Override
    public void stop() {
        // no interrupt: the loop may be inside H2, whose file channel an interrupt would close
        running = false;
        wake.raise();
        if (workers == null) {
            return;
        }
        workers.shutdown();
        try {
            if (!workers.awaitTermination(properties.shutdownGrace().toMillis(), TimeUnit.MILLISECONDS)) {
                log.info("Stopping {} running evaluations; they go back to the queue", activeRuns.size());
                activeRuns.all().forEach(ActiveRun::stopForShutdown);
                if (!workers.awaitTermination(30, TimeUnit.SECONDS)) {
                    log.warn("Evaluations still running after the shutdown grace; the next start recovers them");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        // after the Docker daemon watch (phase 0) has looked once
        return 10;
    }

    private static ThreadFactory named(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix.endsWith("-") ? prefix + n.incrementAndGet() : prefix);
            t.setDaemon(false);
            return t;
        };
    }
}
