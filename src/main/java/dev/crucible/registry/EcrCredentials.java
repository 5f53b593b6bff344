package dev.crucible.registry;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.AuthorizationData;
import software.amazon.awssdk.services.ecr.model.GetAuthorizationTokenResponse;

/**
 * Amazon ECR: GetAuthorizationToken (credentials from the default AWS chain, normally the EC2
 * instance role), decoded into a user name and password for docker pulls, and kept until shortly
 * before the token expires (ECR tokens live 12 hours). The token is given out only for images of
 * the registry it names.
 */
class EcrCredentials implements RegistryCredentials.Source {

    private static final Logger log = LoggerFactory.getLogger(EcrCredentials.class);

    private record Cached(RegistryCredentials credentials, Instant renewAt) {
    }

    private final EcrClient ecr;
    private final Duration refreshBefore;
    private final Clock clock;
    private Cached cached;

    EcrCredentials(EcrClient ecr, Duration refreshBefore, Clock clock) {
        this.ecr = ecr;
        this.refreshBefore = refreshBefore;
        this.clock = clock;
    }

    @Override
    public synchronized Optional<RegistryCredentials> credentialsFor(String image) {
        if (cached == null || !clock.instant().isBefore(cached.renewAt())) {
            cached = fetch();
        }
        // the token opens this account's registry: never hand it to another host
        RegistryCredentials credentials = cached.credentials();
        return RegistryConfiguration.sameServer(RegistryConfiguration.server(image), credentials.server())
                ? Optional.of(credentials) : Optional.empty();
    }

    private Cached fetch() {
        GetAuthorizationTokenResponse response;
        try {
            response = ecr.getAuthorizationToken();
        } catch (RuntimeException e) {
            throw new RegistryAuthException("ECR GetAuthorizationToken failed: " + e.getMessage(), e);
        }
        if (!response.hasAuthorizationData() || response.authorizationData().isEmpty()) {
            throw new RegistryAuthException("ECR GetAuthorizationToken answered without authorization data", null);
        }
        AuthorizationData data = response.authorizationData().get(0);
        String decoded = new String(Base64.getDecoder().decode(data.authorizationToken()), StandardCharsets.UTF_8);
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            throw new RegistryAuthException("ECR answered with a token that is not user:password", null);
        }
        String server = data.proxyEndpoint() == null ? null : data.proxyEndpoint().replaceFirst("^https?://", "");
        Instant expires = data.expiresAt() == null ? clock.instant().plus(Duration.ofHours(1)) : data.expiresAt();
        Instant renewAt = expires.minus(refreshBefore);
        log.info("ECR token obtained for {} (expires {})", server, expires);
        return new Cached(new RegistryCredentials(decoded.substring(0, colon), decoded.substring(colon + 1), server), renewAt);
    }
}
