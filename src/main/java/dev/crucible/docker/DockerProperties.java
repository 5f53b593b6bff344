package dev.crucible.docker;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the platform reaches the Docker daemon that runs the sibling containers.
 *
 * @param host daemon address, normally the mounted socket {@code unix:///var/run/docker.sock}
 * @param pingInterval how often the daemon is checked while it answers
 * @param downPingInterval how often it is checked while it does not
 * @param callTimeout how long a request that answers at once (create, start, inspect, remove...)
 *                    may take before the daemon counts as not answering
 */
@ConfigurationProperties("crucible.docker")
public record DockerProperties(
        @DefaultValue("unix:///var/run/docker.sock") String host,
        @DefaultValue("10s") Duration pingInterval,
        @DefaultValue("1s") Duration downPingInterval,
        @DefaultValue("60s") Duration callTimeout) {
}
