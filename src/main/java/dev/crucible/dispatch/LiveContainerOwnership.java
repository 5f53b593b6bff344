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
 * orphan. A pooled container belongs to the live worker that made it (which knows whether it
 * still holds it).
 */
@Component
class LiveContainerOwnership implements ContainerOwnership {

    private final Installation installation;
    private final WorkerIdentity worker;
    private final ActiveRuns activeRuns;
    private final EvaluationQueue queue;
    private final DispatchProperties properties;
    private final Clock clock;
    private final WorkerRepository workers;

    LiveContainerOwnership(Installation installation, WorkerIdentity worker, ActiveRuns activeRuns,
            EvaluationQueue queue, DispatchProperties properties, Clock clock, WorkerRepository workers) {
        this.workers = workers;
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
    public String workerId() {
        return worker.id();
    }

    @Override
    public boolean isLiveWorker(String workerId) {
        // on an embedded database, which one process alone opens, any other worker is gone
        if (workerId == null || queue.databaseIsExclusive()) {
            return false;
        }
        return workers.stateOf(workerId).map(s -> s.equals("running") || s.equals("draining")).orElse(false);
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
