package dev.crucible.runtime;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param pullPolicy {@code never} (the default: the default image names are local names, and
 *                   pulling them would fetch whatever a stranger published under that name on
 *                   Docker Hub), {@code if-not-present} (pull a missing image at start-up and on
 *                   later checks; for images named in a registry of your own) or {@code always}
 *                   (pull at every start)
 * @param checkInterval how often the presence of the runtime images is checked again
 * @param pullTimeout how long one pull may take
 */
@ConfigurationProperties("crucible.images")
public record ImageProperties(
        @DefaultValue("never") PullPolicy pullPolicy,
        @DefaultValue("30s") Duration checkInterval,
        @DefaultValue("10m") Duration pullTimeout) {

    public enum PullPolicy { NEVER, IF_NOT_PRESENT, ALWAYS }
}
