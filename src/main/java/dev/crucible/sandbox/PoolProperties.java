package dev.crucible.sandbox;

import java.time.Duration;
import java.util.Map;

import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Pre-started containers: each created and started ahead of time with every sandbox rule, its
 * launcher waiting for one program, then removed. {@code enabled=false} gives a fresh container
 * per run, created when the run begins.
 *
 * @param enabled keep containers ready at all
 * @param size containers kept ready for each shape (language, memory and CPU limits) in use
 * @param maxIdle containers kept ready in all, whatever the shapes (each holds about 1 MiB of memory while it waits)
 * @param idleTimeout a shape not asked for this long gives its containers back, down to none
 * @param starters containers started at the same time when the pool refills
 * @param languages per language, {@code false} to run it in fresh containers only
 */
@Validated
@ConfigurationProperties("crucible.pool")
public record PoolProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("2") @Min(1) int size,
        @DefaultValue("8") @Min(1) int maxIdle,
        @DefaultValue("5m") Duration idleTimeout,
        @DefaultValue("2") @Min(1) int starters,
        Map<String, Boolean> languages) {

    public PoolProperties {
        languages = languages == null ? Map.of() : Map.copyOf(languages);
    }

    boolean pools(String language) {
        return enabled && languages.getOrDefault(language, true);
    }
}
