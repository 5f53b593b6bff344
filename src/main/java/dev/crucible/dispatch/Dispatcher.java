package dev.crucible.dispatch;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.crucible.evaluation.Evaluation;
import dev.crucible.evaluation.EvaluationEvents;
import dev.crucible.evaluation.EvaluationQueue;
import dev.crucible.evaluation.QueueDatabase;
import dev.crucible.sandbox.ExecutionBackend;
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
 * It wakes when work is submitted, when a slot frees up and when the execution backend comes back,
 * and otherwise looks at the queue every {@code poll-interval}; each time it claims work for all
 * its free slots together, one claim per lane (one round trip each on PostgreSQL; one or two in
 * the common cases, never more than three). While Docker is down it claims nothing, so
 * submissions stay queued.
 *
 * <p>Fairness: interactive work and batches share the slots. The free slots go to whichever kind
 * holds fewer of this worker's slots (interactive work on a tie; {@link FairShare}), so a single
 * evaluation submitted behind a 5 000-script batch starts as soon as one slot frees, and a batch
 * still gets half the slots while people keep submitting; with only one kind queued, it gets
 * every slot. Slots a kind leaves unused go to any queued work in queue order, so work that waits
 * for memory room is overtaken by the other kind's fair share only, never by later work of its
 * own kind. How exact that is: each worker balances its own slots, from the runs it holds
 * itself: each claim makes its two counts as even as its free slots allow, at most one apart
 * once the kind behind has caught up (when both kinds have work queued that fits). Across
 * several workers it is per worker, not global: no worker looks at another's runs, so the whole
 * cluster's counts can differ by up to one per worker; and a running evaluation is never stopped
 * to make room, so after a change of load the balance comes back only as slots free up.
 */
@Component
@RunsEvaluations
public class Dispatcher implements SmartLifecycle, ExecutionBackend.Listener {

    private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);

    private final EvaluationQueue queue;
    private final EvaluationRunner runner;
    private final ActiveRuns activeRuns;
    private final WorkerIdentity worker;
    private final ExecutionBackend backend;
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
            ExecutionBackend backend, AbandonedWorkRecovery recovery, DispatchProperties properties,
            WorkerProperties workerProperties, MemoryBudget memoryBudget) {
        this.memoryBudget = memoryBudget;
        this.queue = queue;
        this.runner = runner;
        this.activeRuns = activeRuns;
        this.worker = worker;
        this.backend = backend;
        this.recovery = recovery;
        this.properties = properties;
        this.concurrency = workerProperties.effectiveConcurrency();
        this.slots = new Semaphore(concurrency);
        backend.addListener(this);
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

    /** What the execution backend holds ready ahead of time (the pool), for the heartbeat. */
    ExecutionBackend.Readiness readiness() {
        return backend.readiness();
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
        int reaped = backend.reapLeftovers();
        log.info("Dispatcher {} starts with {} slots ({} interrupted evaluations recovered, {} orphaned containers removed)",
                worker.id(), concurrency, recovered, reaped);
        workers = Executors.newFixedThreadPool(concurrency, named("evaluation-"));
        running = true;
        loop = named("dispatcher").newThread(this::dispatchLoop);
        loop.start();
    }

    /**
     * Nothing may end this loop but a stop (which raises the wake-up, never interrupts): a dead
     * dispatcher would leave the queue stuck while the process looks healthy. So a failure and an
     * interrupt from anywhere else are logged and the loop goes on after {@code poll-interval}.
     */
    private void dispatchLoop() {
        while (running) {
            try {
                if (!dispatch()) {
                    wake.await(properties.pollInterval());
                }
            } catch (InterruptedException e) {
                log.warn("The dispatcher was interrupted, which only a stop may do; it goes on");
            } catch (RuntimeException | Error e) {
                log.error("Dispatching failed; trying again in {}", properties.pollInterval(), e);
                pause();
            }
        }
    }

    private void pause() {
        try {
            wake.await(properties.pollInterval());
        } catch (InterruptedException e) {
            log.warn("The dispatcher was interrupted, which only a stop may do; it goes on");
        }
    }

    /**
     * Takes every free slot, claims work for them (as much as fits in the memory room left) and
     * starts it; the slots nothing was claimed for are given back. False when nothing was started.
     */
    private boolean dispatch() {
        if (draining || !backend.isAvailable()) {
            return false;
        }
        int free = slots.drainPermits();
        if (free == 0) {
            return false;
        }
        List<Evaluation> claimed;
        try {
            claimed = claimFairly(free, memoryBudget.memoryBudgetBytes() - activeRuns.memoryInUse());
        } catch (RuntimeException e) {
            slots.release(free);
            throw e;
        }
        slots.release(free - claimed.size());
        start(claimed);
        return !claimed.isEmpty();
    }

    /**
     * Claims for {@code free} slots as {@link FairShare} divides them: the kind behind first, then
     * the other, and any queued work for what either could not fill (only one kind queued, or
     * the next of a kind waits for memory room). A failing claim after an earlier one got work
     * keeps that work, so it is started rather than left for recovery.
     */
    private List<Evaluation> claimFairly(int free, long memoryRoom) {
        int batch = activeRuns.batchRuns();
        FairShare share = FairShare.of(activeRuns.size() - batch, batch, free);
        List<Evaluation> claimed = new ArrayList<>();
        try {
            claimed.addAll(claim(share.first(), share.firstSlots(), memoryRoom, claimed));
            if (claimed.size() == share.firstSlots()) {
                claimed.addAll(claim(share.second(), share.secondSlots(), memoryRoom, claimed));
            }
            claimed.addAll(claim(QueueDatabase.Lane.ANY, free - claimed.size(), memoryRoom, claimed));
        } catch (RuntimeException e) {
            if (claimed.isEmpty()) {
                throw e;
            }
            log.warn("Claiming failed after {} evaluations were claimed; starting those", claimed.size(), e);
        }
        return claimed;
    }

    private List<Evaluation> claim(QueueDatabase.Lane lane, int count, long memoryRoom, List<Evaluation> alreadyClaimed) {
        long room = memoryRoom - alreadyClaimed.stream().mapToLong(e -> e.limits().memoryBytes()).sum();
        return queue.claim(worker.id(), lane, count, room);
    }

    /** Registers and starts each claimed evaluation; what cannot be started goes back to the queue. */
    private void start(List<Evaluation> claimed) {
        for (int i = 0; i < claimed.size(); i++) {
            ActiveRun active = activeRuns.register(claimed.get(i));
            try {
                workers.execute(() -> runAndFreeSlot(active));
            } catch (RuntimeException rejected) {
                activeRuns.remove(active);
                List<Evaluation> notStarted = claimed.subList(i, claimed.size());
                slots.release(notStarted.size());
                notStarted.forEach(queue::release);
                throw rejected;
            }
        }
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
    public void backendAvailable() {
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
