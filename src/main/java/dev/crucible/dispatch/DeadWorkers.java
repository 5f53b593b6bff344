package dev.crucible.dispatch;

import java.time.Clock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Any live node (api or worker) marks dead the workers that have been silent for
 * {@code crucible.dispatch.dead-after}. Their running evaluations are recovered by the live
 * workers through the evaluations' own heartbeats ({@link AbandonedWorkRecovery}); their leftover
 * containers are removed by their own host's reaper if that host comes back.
 */
@Component
class DeadWorkers {

    private static final Logger log = LoggerFactory.getLogger(DeadWorkers.class);

    private final WorkerRepository workers;
    private final DispatchProperties properties;
    private final Clock clock;

    DeadWorkers(WorkerRepository workers, DispatchProperties properties, Clock clock) {
        this.workers = workers;
        this.properties = properties;
        this.clock = clock;
    }

    @Scheduled(fixedDelayString = "${crucible.dispatch.heartbeat-interval:5s}")
    void markSilentWorkersDead() {
        for (String id : workers.markDead(clock.instant().minus(properties.deadAfter()))) {
            log.warn("Worker {} has not been heard of for {}: marked dead", id, properties.deadAfter());
        }
    }
}
