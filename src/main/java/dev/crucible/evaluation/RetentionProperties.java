package dev.crucible.evaluation;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How long history is kept.
 *
 * @param maxAge evaluations (and whole batches, with their files) older than this are deleted;
 *               {@code 0} keeps everything
 * @param interval how often the sweep looks for them
 */
@ConfigurationProperties("crucible.retention")
public record RetentionProperties(@DefaultValue("90d") Duration maxAge, @DefaultValue("1h") Duration interval) {

    public boolean keepsEverything() {
        return maxAge.isZero() || maxAge.isNegative();
    }

    /** Evaluations created before this instant may be deleted; null when everything is kept. */
    public java.time.Instant cutoff(java.time.Instant now) {
        return keepsEverything() ? null : now.minus(maxAge);
    }

    /** "90 days", "36 hours": how an operator wrote it, for people. */
    public String describe() {
        if (keepsEverything()) {
            return "forever";
        }
        long hours = maxAge.toHours();
        return hours % 24 == 0 ? hours / 24 + (hours == 24 ? " day" : " days")
                : hours > 0 ? hours + " hours" : maxAge.toMinutes() + " minutes";
    }
}
