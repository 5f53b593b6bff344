package dev.crucible.dispatch;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import dev.crucible.evaluation.RunCapacity;
import dev.crucible.node.NodeRole;
import org.springframework.stereotype.Component;

/**
 * What the workers can give one run, as the process that takes a submission knows it. A process
 * that runs evaluations itself judges by its own memory budget. An api process runs none, so its
 * own host's memory says nothing: it judges by the largest budget among the live workers (as they
 * report it at each heartbeat; looked up at most every few seconds). With no live worker it
 * refuses nothing beyond {@code crucible.worker.memory-budget} when that is set, and nothing at
 * all otherwise: workers may be scaled from zero, and the submission waits for them.
 */
@Component
class WorkersCapacity implements RunCapacity {

    private static final Duration FRESH = Duration.ofSeconds(3);

    private final MemoryBudget own;
    private final WorkerRepository workers;
    private final WorkerProperties properties;
    private final boolean runsEvaluations;
    private final Clock clock;
    private volatile Instant lookedAt = Instant.MIN;
    private volatile long workersBudget;

    WorkersCapacity(MemoryBudget own, WorkerRepository workers, WorkerProperties properties, NodeRole role, Clock clock) {
        this.own = own;
        this.workers = workers;
        this.properties = properties;
        this.runsEvaluations = role.role().runsEvaluations();
        this.clock = clock;
    }

    @Override
    public long memoryBudgetBytes() {
        if (runsEvaluations) {
            return own.memoryBudgetBytes();
        }
        Instant now = clock.instant();
        if (lookedAt.plus(FRESH).isBefore(now)) {
            long unknown = properties.memoryBudget() != null ? properties.memoryBudget().toBytes() : Long.MAX_VALUE;
            workersBudget = workers.largestLiveMemoryBudget().orElse(unknown);
            lookedAt = now;
        }
        return workersBudget;
    }
}
