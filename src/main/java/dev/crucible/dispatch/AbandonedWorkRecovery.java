package dev.crucible.dispatch;

import java.time.Duration;
import java.util.List;

import dev.crucible.evaluation.Evaluation;
import dev.crucible.evaluation.EvaluationQueue;
import dev.crucible.evaluation.EvaluationResult;
import dev.crucible.evaluation.EvaluationStatus;
import dev.crucible.sandbox.ExecutionBackend;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import dev.crucible.node.RunsEvaluations;
import org.springframework.stereotype.Component;

/**
 * Finds evaluations left {@code running} by a worker that died (kill -9, power loss) and ends
 * their limbo: the old container is removed first, then the evaluation goes back to the queue,
 * or, once it has been started {@code max-attempts} times, ends as failed with the reason
 * {@code platform_restart}. A worker is dead when its heartbeat is older than
 * {@code dead-after}; on an embedded database, which only one process can open, every
 * {@code running} row found at start-up belonged to a dead process.
 */
@Component
@RunsEvaluations
class AbandonedWorkRecovery {

    private static final Logger log = LoggerFactory.getLogger(AbandonedWorkRecovery.class);

    private final EvaluationQueue queue;
    private final ActiveRuns activeRuns;
    private final ExecutionBackend backend;
    private final DispatchProperties properties;

    AbandonedWorkRecovery(EvaluationQueue queue, ActiveRuns activeRuns, ExecutionBackend backend,
            DispatchProperties properties) {
        this.queue = queue;
        this.activeRuns = activeRuns;
        this.backend = backend;
        this.properties = properties;
    }

    /** At start-up, before this worker claims anything. */
    int recoverAtStartup() {
        return recover(queue.databaseIsExclusive() ? Duration.ZERO : properties.deadAfter());
    }

    @Scheduled(initialDelayString = "${crucible.dispatch.dead-after:30s}", fixedDelayString = "${crucible.dispatch.heartbeat-interval:5s}")
    void recoverPeriodically() {
        recover(properties.deadAfter());
    }

    private int recover(Duration silentFor) {
        // Runs held here are never abandoned (their heartbeat may just be late).
        List<Evaluation> abandoned = queue.findAbandoned(silentFor).stream()
                .filter(e -> !activeRuns.contains(e.id()))
                .toList();
        for (Evaluation e : abandoned) {
            backend.removeLeftoversOf(e.id());
            if (e.attempts() < properties.maxAttempts()) {
                if (queue.requeue(e)) {
                    log.warn("Evaluation {} was left running by worker {}; it goes back to the queue (attempt {} of {})",
                            e.id(), e.workerId(), e.attempts() + 1, properties.maxAttempts());
                }
            } else {
                String why = "The platform stopped while this evaluation was running, " + e.attempts()
                        + (e.attempts() == 1 ? " time" : " times") + "; it is not started again (crucible.dispatch.max-attempts="
                        + properties.maxAttempts() + ")";
                if (queue.endAbandoned(e, EvaluationResult.platform(EvaluationStatus.FAILED, "platform_restart", why, null))) {
                    log.warn("Evaluation {} was left running by worker {} and has used its attempts; it ends as failed",
                            e.id(), e.workerId());
                }
            }
        }
        return abandoned.size();
    }
}
