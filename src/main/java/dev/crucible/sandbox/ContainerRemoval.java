package dev.crucible.sandbox;

import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.InternalServerErrorException;
import com.github.dockerjava.api.exception.NotFoundException;
import dev.crucible.docker.Docker;
import dev.crucible.docker.DockerDaemon;
import dev.crucible.docker.DockerUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Force-removes a container and its anonymous volumes, the one way every part of the sandbox
 * does it. A container that is exiting just then makes Docker 20.10 answer 500 ("Could not kill
 * running container ..., cannot remove - Container ... is not running"): seen in CI when a run
 * was closed on its launcher's trailer, a moment before the container's own exit. That answer
 * is tried again a few times; what still fails is left to the orphan reaper.
 */
final class ContainerRemoval {

    private static final Logger log = LoggerFactory.getLogger(ContainerRemoval.class);
    private static final int TRIES = 5;

    private ContainerRemoval() {
    }

    /** @param name how the log names the container (its evaluation's name, say) */
    static void remove(Docker docker, DockerDaemon daemon, String containerIdOrName, String name) {
        for (int attempt = 1; ; attempt++) {
            try {
                docker.calls().removeContainerCmd(containerIdOrName).withForce(true).withRemoveVolumes(true).exec();
                return;
            } catch (NotFoundException e) {
                return; // already gone
            } catch (ConflictException e) {
                return; // removal already in progress
            } catch (InternalServerErrorException e) {
                if (attempt < TRIES && exiting(e)) {
                    pause();
                    continue;
                }
                log.warn("Could not remove container {} ({}); the orphan reaper will retry", name, e.getMessage());
                return;
            } catch (RuntimeException e) {
                if (DockerUnavailableException.isConnectionFailure(e)) {
                    daemon.reportUnreachable(e);
                }
                log.warn("Could not remove container {} ({}); the orphan reaper will retry", name, e.getMessage());
                return;
            }
        }
    }

    static boolean exiting(InternalServerErrorException e) {
        String message = String.valueOf(e.getMessage());
        return message.contains("is not running") || message.contains("Could not kill running container");
    }

    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
