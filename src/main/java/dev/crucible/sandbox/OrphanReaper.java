package dev.crucible.sandbox;

import java.util.List;
import java.util.Map;

import com.github.dockerjava.api.model.Container;
import dev.crucible.docker.Docker;
import dev.crucible.docker.DockerDaemon;
import dev.crucible.docker.DockerUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Removes this installation's evaluation containers that no live run owns: leftovers of a crash,
 * of a lost Docker connection or of a removal that failed. Runs at start-up (called by the
 * dispatcher before it claims work) and periodically.
 */
@Component
public class OrphanReaper {

    private static final Logger log = LoggerFactory.getLogger(OrphanReaper.class);

    private final Docker docker;
    private final DockerDaemon daemon;
    private final Sandbox sandbox;
    private final ContainerOwnership ownership;
    private final ContainerPool pool;

    public OrphanReaper(Docker docker, DockerDaemon daemon, Sandbox sandbox, ContainerOwnership ownership, ContainerPool pool) {
        this.pool = pool;
        this.docker = docker;
        this.daemon = daemon;
        this.sandbox = sandbox;
        this.ownership = ownership;
    }

    /** Removes orphans now; returns how many were removed. */
    @Scheduled(initialDelayString = "${crucible.dispatch.reaper-interval:60s}",
            fixedDelayString = "${crucible.dispatch.reaper-interval:60s}")
    public int reap() {
        if (!daemon.isUp()) {
            return 0;
        }
        List<Container> containers;
        try {
            containers = docker.calls().listContainersCmd()
                    .withShowAll(true)
                    .withLabelFilter(Map.of(SandboxLabels.INSTALLATION, ownership.installationId()))
                    .exec();
        } catch (RuntimeException e) {
            if (DockerUnavailableException.isConnectionFailure(e)) {
                daemon.reportUnreachable(e);
            }
            log.warn("Could not list containers to reap: {}", e.getMessage());
            return 0;
        }
        int removed = 0;
        for (Container container : containers) {
            Map<String, String> labels = container.getLabels() == null ? Map.of() : container.getLabels();
            if (labels.containsKey(SandboxLabels.POOL)) {
                String worker = labels.get(SandboxLabels.WORKER);
                // a container the pool is starting is known by its name until its create has answered
                if (ownership.workerId().equals(worker) ? pool.holds(container.getId()) || pool.holds(name(container))
                        : ownership.isLiveWorker(worker)) {
                    continue;
                }
                log.info("Removing orphaned pooled container {} of worker {} ({})", name(container), worker,
                        container.getStatus());
            } else if (!labels.containsKey(SandboxLabels.EVAL_ID) || ownership.isOwned(labels)) {
                continue;
            } else {
                log.info("Removing orphaned container {} of evaluation {} ({})", name(container),
                        labels.get(SandboxLabels.EVAL_ID), container.getStatus());
            }
            sandbox.remove(container.getId());
            removed++;
        }
        return removed;
    }

    /**
     * Removes every container of one evaluation (of this installation), owned or not: those labelled
     * with it, and a pooled container that took it (named after it when it was handed out).
     */
    public void removeContainersOf(String evalId) {
        try {
            docker.calls().listContainersCmd()
                    .withShowAll(true)
                    .withLabelFilter(Map.of(SandboxLabels.INSTALLATION, ownership.installationId(), SandboxLabels.EVAL_ID, evalId))
                    .exec()
                    .forEach(c -> sandbox.remove(c.getId()));
            docker.calls().listContainersCmd()
                    .withShowAll(true)
                    .withLabelFilter(Map.of(SandboxLabels.INSTALLATION, ownership.installationId()))
                    .withNameFilter(List.of("-eval-" + evalId + "$"))
                    .exec()
                    .forEach(c -> sandbox.remove(c.getId()));
        } catch (RuntimeException e) {
            if (DockerUnavailableException.isConnectionFailure(e)) {
                daemon.reportUnreachable(e);
            }
            log.warn("Could not look for containers of evaluation {}: {}", evalId, e.getMessage());
        }
    }

    private static String name(Container container) {
        String[] names = container.getNames();
        return names == null || names.length == 0 ? container.getId() : names[0].replaceFirst("^/", "");
    }
}
