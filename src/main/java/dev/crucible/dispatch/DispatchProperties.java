package dev.crucible.dispatch;

import java.time.Duration;

import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * @param pollInterval how often the database is looked at when no signal came: for new work, and
 *                     for the ends of evaluations that callers here wait for (work submitted and
 *                     ended in this process, or in another one sharing PostgreSQL, is signalled
 *                     at once; the look is the floor under lost signals)
 * @param heartbeatInterval how often this worker proves it is alive for the evaluations it runs
 * @param deadAfter a running evaluation whose worker has been silent this long is recovered
 * @param maxAttempts an evaluation interrupted by a crash is started again until it has been
 *                    started this often; then it ends as failed ({@code platform_restart})
 * @param reaperInterval how often containers that no live evaluation owns are removed
 * @param shutdownGrace on shutdown, running evaluations get this long to finish before they are
 *                      stopped and put back in the queue
 */
@Validated
@ConfigurationProperties("crucible.dispatch")
public record DispatchProperties(
        @DefaultValue("1s") Duration pollInterval,
        @DefaultValue("5s") Duration heartbeatInterval,
        @DefaultValue("30s") Duration deadAfter,
        @DefaultValue("2") @Min(1) int maxAttempts,
        @DefaultValue("60s") Duration reaperInterval,
        @DefaultValue("10s") Duration shutdownGrace) {
}
