package dev.crucible.evaluation;

import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * What an evaluation gets when it does not ask, and the bounds of what it may ask for.
 * Quantities are in the API's own forms ("100Mi", "500m").
 *
 * @param maxCpus empty means the number of cores of this host
 * @param defaultCompileTimeoutSeconds the compile stage's time limit when a submission names none
 * @param maxCompileTimeoutSeconds the most a submission may ask for ({@code compile_timeout})
 * @param compileMemory the compile stage's memory limit (compilers need more than most programs)
 */
@Validated
@ConfigurationProperties("crucible.limits")
public record LimitsProperties(
        @DefaultValue("30") @Min(1) int defaultTimeoutSeconds,
        @DefaultValue("300") @Min(1) int maxTimeoutSeconds,
        @DefaultValue("100Mi") String defaultMemory,
        @DefaultValue("16Mi") String minMemory,
        @DefaultValue("2Gi") String maxMemory,
        @DefaultValue("1") String defaultCpus,
        String maxCpus,
        @DefaultValue("1MB") DataSize maxCodeSize,
        @DefaultValue("1MB") DataSize maxStdinSize,
        @DefaultValue("30") @Min(1) int defaultCompileTimeoutSeconds,
        @DefaultValue("120") @Min(1) int maxCompileTimeoutSeconds,
        @DefaultValue("1Gi") String compileMemory) {

    public long compileMemoryBytes() {
        return require(Quantities.memoryBytes(compileMemory), "crucible.limits.compile-memory", compileMemory);
    }

    public long defaultMemoryBytes() {
        return require(Quantities.memoryBytes(defaultMemory), "crucible.limits.default-memory", defaultMemory);
    }

    public long minMemoryBytes() {
        return require(Quantities.memoryBytes(minMemory), "crucible.limits.min-memory", minMemory);
    }

    public long maxMemoryBytes() {
        return require(Quantities.memoryBytes(maxMemory), "crucible.limits.max-memory", maxMemory);
    }

    public long defaultNanoCpus() {
        return require(Quantities.nanoCpus(defaultCpus), "crucible.limits.default-cpus", defaultCpus);
    }

    public long maxNanoCpus() {
        if (maxCpus == null || maxCpus.isBlank()) {
            return Runtime.getRuntime().availableProcessors() * 1_000_000_000L;
        }
        return require(Quantities.nanoCpus(maxCpus), "crucible.limits.max-cpus", maxCpus);
    }

    private static long require(long parsed, String property, String text) {
        if (parsed <= 0) {
            throw new IllegalStateException(property + " is not a valid quantity: " + text);
        }
        return parsed;
    }
}
