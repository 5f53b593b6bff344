package dev.crucible.live;

import java.time.Duration;

import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Live output and event streams ({@code GET /api/eval/{id}/events}).
 *
 * @param flushInterval how often a worker writes the output that arrived meanwhile, for streams on
 *                      any node to read (so about how late live output is)
 * @param cleanupInterval how often the live output of ended evaluations is removed
 * @param maxStreams event streams one node serves at once; one more is answered 503
 * @param streamTimeout how long one stream stays open; an EventSource then reconnects by itself
 *                      and goes on from its Last-Event-ID
 * @param keepAlive     how long a stream may go without a word before it gets a comment: keeps
 *                      proxies from closing a quiet stream, and tells the node that a client has
 *                      gone (its place under max-streams is free within about twice this)
 */
@Validated
@ConfigurationProperties("crucible.live")
public record LiveProperties(
        @DefaultValue("250ms") Duration flushInterval,
        @DefaultValue("1m") Duration cleanupInterval,
        @DefaultValue("1000") @Min(1) int maxStreams,
        @DefaultValue("30m") Duration streamTimeout,
        @DefaultValue("15s") Duration keepAlive) {
}
