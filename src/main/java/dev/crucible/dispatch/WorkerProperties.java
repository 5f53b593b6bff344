package dev.crucible.dispatch;

import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * @param concurrency evaluations run at once by this process; 0 means one per CPU core
 * @param memoryBudget the sum of the memory limits of the evaluations running at once; unset means
 *                     75 % of the Docker host's memory minus the platform's own heap
 *                     (see {@link MemoryBudget})
 */
@Validated
@ConfigurationProperties("crucible.worker")
public record WorkerProperties(@DefaultValue("0") @Min(0) int concurrency, DataSize memoryBudget) {

    public int effectiveConcurrency() {
        return concurrency > 0 ? concurrency : Runtime.getRuntime().availableProcessors();
    }
}
