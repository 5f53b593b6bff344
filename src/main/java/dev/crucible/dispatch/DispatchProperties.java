package dev.crucible.dispatch;

import java.time.Duration;

import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * @param pollInterval how often the queue is looked at when nothing signals new work (work
 *                     submitted in this process wakes the dispatcher at once)
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
