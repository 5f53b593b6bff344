package dev.crucible.dispatch;

import java.time.Clock;
import java.util.stream.Collectors;

import dev.crucible.docker.DockerDaemon;
import dev.crucible.node.RunsEvaluations;
import dev.crucible.runtime.RuntimeImages;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * This process's row in the worker table: registered before the dispatcher claims anything,
 * a heartbeat every {@code crucible.dispatch.heartbeat-interval} with its slots in use, its Docker
 * version and images, and {@code stopped} on a graceful stop (after the dispatcher has handed
 * its work back).
 */
@Component
@RunsEvaluations
class WorkerRegistry implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(WorkerRegistry.class);

    private final WorkerRepository workers;
    private final WorkerIdentity identity;
    private final Dispatcher dispatcher;
    private final DockerDaemon daemon;
    private final RuntimeImages images;
    private final Clock clock;
    private volatile boolean running;

    WorkerRegistry(WorkerRepository workers, WorkerIdentity identity, Dispatcher dispatcher, DockerDaemon daemon,
            RuntimeImages images, Clock clock) {
        this.workers = workers;
        this.identity = identity;
        this.dispatcher = dispatcher;
        this.daemon = daemon;
        this.images = images;
        this.clock = clock;
    }

    @Override
    public void start() {
        workers.register(identity.id(), identity.host(), dispatcher.concurrency(), clock.instant());
        running = true;
        beat();
    }

    @Scheduled(fixedDelayString = "${crucible.dispatch.heartbeat-interval:5s}")
    void beat() {
        if (!running) {
            return;
        }
        String present = images.states().values().stream().filter(RuntimeImages.ImageState::present)
                .map(s -> s.image() + " " + s.id() + (s.repoDigest() == null ? "" : " " + s.repoDigest()))
                .sorted().collect(Collectors.joining("\n"));
        // an operator may have asked this worker to drain (claim nothing new) or to resume
        dispatcher.drain("draining".equals(workers.stateOf(identity.id()).orElse("running")));
        if (!workers.heartbeat(identity.id(), dispatcher.running(), dispatcher.memoryUse().budgetBytes(),
                daemon.state().version(), present, dispatcher.readiness(), clock.instant())) {
            log.warn("Worker {} was marked dead by another node (its heartbeat came too late); its running work is "
                    + "being recovered elsewhere", identity.id());
        }
    }

    @Override
    public void stop() {
        running = false;
        workers.setState(identity.id(), "stopped");
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        // after the Docker watch (0), before the dispatcher (10): registered before it claims, stopped after it stops
        return 5;
    }
}
