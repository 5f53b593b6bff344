package dev.crucible.dispatch;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;

import dev.crucible.evaluation.Evaluation;
import dev.crucible.evaluation.EvaluationQueue;
import dev.crucible.evaluation.EvaluationStatus;
import dev.crucible.sandbox.ContainerOwnership;
import dev.crucible.sandbox.SandboxLabels;
import dev.crucible.storage.Installation;
import org.springframework.stereotype.Component;

/**
 * A container is owned while its evaluation runs here, or runs on another worker that is still
 * alive (its heartbeat is fresh) and whose claim the container belongs to. Anything else is an
 * orphan.
 */
@Component
class LiveContainerOwnership implements ContainerOwnership {

    private final Installation installation;
    private final WorkerIdentity worker;
    private final ActiveRuns activeRuns;
    private final EvaluationQueue queue;
    private final DispatchProperties properties;
    private final Clock clock;

    LiveContainerOwnership(Installation installation, WorkerIdentity worker, ActiveRuns activeRuns,
            EvaluationQueue queue, DispatchProperties properties, Clock clock) {
        this.installation = installation;
        this.worker = worker;
        this.activeRuns = activeRuns;
        this.queue = queue;
        this.properties = properties;
        this.clock = clock;
    }

    @Override
    public String installationId() {
        return installation.id();
    }

    @Override
    public boolean isOwned(Map<String, String> labels) {
        String evalId = labels.get(SandboxLabels.EVAL_ID);
        String workerId = labels.get(SandboxLabels.WORKER);
        if (worker.id().equals(workerId)) {
            return activeRuns.contains(evalId);
        }
        Evaluation e = queue.find(evalId).orElse(null);
        if (e == null || e.status() != EvaluationStatus.RUNNING || !e.workerId().equals(workerId)) {
            return false;
        }
        Instant silentSince = clock.instant().minus(properties.deadAfter());
        return e.heartbeatAt() != null && e.heartbeatAt().isAfter(silentSince);
    }
}
