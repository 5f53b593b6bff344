package dev.crucible.webhooks;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The secret that signs callbacks of requests made without an API key of their own
 * ({@code CRUCIBLE_API_TOKEN}, protected mode): {@code crucible.webhooks.secret}, or one made on
 * the first start, kept in the database (every process of the installation signs with it) and
 * printed once in the log, as the admin password is.
 */
@Component
class WebhookSecret {

    private static final Logger log = LoggerFactory.getLogger(WebhookSecret.class);

    private final String secret;

    WebhookSecret(JdbcClient jdbc, WebhookProperties properties, Clock clock) {
        if (properties.secret() != null && !properties.secret().isBlank()) {
            secret = properties.secret();
            return;
        }
        Optional<String> stored = stored(jdbc);
        if (stored.isPresent()) {
            secret = stored.get();
            return;
        }
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        String made = "whsec_" + HexFormat.of().formatHex(random);
        try {
            jdbc.sql("INSERT INTO webhook_secret (id, secret, created_at) VALUES (1, :secret, :now)")
                    .param("secret", made).param("now", clock.instant().atOffset(ZoneOffset.UTC)).update();
        } catch (DuplicateKeyException another) {
            // another process starting on the same database made it first
            secret = stored(jdbc).orElseThrow();
            return;
        }
        secret = made;
        log.warn("""

                *************************************************************
                Crucible made the secret that signs webhooks (callback_url) of
                requests made without an API key of their own:

                    {}

                It is shown this once. Set crucible.webhooks.secret to choose
                your own; receivers check Crucible-Signature with it.
                *************************************************************""", made);
    }

    private static Optional<String> stored(JdbcClient jdbc) {
        return jdbc.sql("SELECT secret FROM webhook_secret WHERE id = 1").query(String.class).optional();
    }

    String value() {
        return secret;
    }
}
