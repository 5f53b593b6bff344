package dev.crucible.registry;

import java.net.URI;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How runtime images are pulled.
 *
 * @param type {@code none} (anonymous pulls), {@code basic} (user name and password) or
 *             {@code ecr} (Amazon ECR, credentials from the default AWS chain: the instance role)
 * @param username for {@code basic} ({@code CRUCIBLE_REGISTRY_USERNAME})
 * @param password for {@code basic} ({@code CRUCIBLE_REGISTRY_PASSWORD}); never logged
 * @param server the registry host ({@code host[:port]}) the credentials are for; they are sent for
 *               images of that host and no other. Required for {@code basic}; for {@code ecr} the
 *               token names its registry, and a server set here must match it
 */
@ConfigurationProperties("crucible.registry")
public record RegistryProperties(
        @DefaultValue("none") Type type,
        String username,
        String password,
        String server,
        @DefaultValue Ecr ecr) {

    public enum Type { NONE, BASIC, ECR }

    /**
     * @param region the registry's AWS region (set explicitly: nothing asks the instance metadata for it)
     * @param endpoint an ECR API endpoint other than the public one (a VPC endpoint; tests)
     * @param refreshBefore a token is renewed this long before it expires
     */
    public record Ecr(@DefaultValue("us-east-1") String region, URI endpoint,
            @DefaultValue("5m") Duration refreshBefore) {
    }
}
