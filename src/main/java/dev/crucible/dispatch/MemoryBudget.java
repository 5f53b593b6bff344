package dev.crucible.dispatch;

import java.lang.management.ManagementFactory;

import dev.crucible.docker.DockerDaemon;
import org.springframework.stereotype.Component;

/**
 * The memory the running evaluations of this worker may hold together: their memory limits add
 * up to at most {@code crucible.worker.memory-budget}. Unset, it is 75 % of the Docker host's
 * memory (as the daemon reports it; this JVM's own view when the daemon has not answered yet)
 * minus this JVM's largest heap, so sandboxes and the platform never fight over the last pages.
 */
@Component
class MemoryBudget {

    private final WorkerProperties properties;
    private final DockerDaemon daemon;

    MemoryBudget(WorkerProperties properties, DockerDaemon daemon) {
        this.properties = properties;
        this.daemon = daemon;
    }

    long memoryBudgetBytes() {
        if (properties.memoryBudget() != null) {
            return properties.memoryBudget().toBytes();
        }
        Long host = daemon.hostMemoryBytes();
        long total = host != null ? host
                : ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getTotalMemorySize();
        return Math.max(0, total / 4 * 3 - Runtime.getRuntime().maxMemory());
    }
}
