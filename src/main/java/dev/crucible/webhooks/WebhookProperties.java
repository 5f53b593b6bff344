package dev.crucible.webhooks;

import java.time.Duration;
import java.util.List;

import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Webhooks: where and how an evaluation's end is POSTed to its {@code callback_url}.
 *
 * @param secret signs callbacks of requests made without an API key of their own; unset, one is
 *               made on the first start, kept in the database and printed once in the log
 * @param maxAge how long after the evaluation's end a callback is still retried; then it is failed
 * @param allowedHosts host names, addresses or CIDR ranges a callback may reach although they are
 *                     loopback, private or link-local (refused by default: a callback must not be
 *                     a way into the platform's own network)
 * @param connectTimeout to connect to a receiver
 * @param readTimeout for a receiver's whole answer
 * @param retryBase the wait before the second try; each further wait doubles, up to {@code retryMax}
 * @param retryMax the longest wait between two tries
 * @param senders requests in flight at once (a slow receiver holds one, never the queue)
 * @param pollInterval how often the due callbacks are looked for (an end in this process wakes it at once)
 */
@Validated
@ConfigurationProperties("crucible.webhooks")
public record WebhookProperties(
        String secret,
        @DefaultValue("24h") Duration maxAge,
        List<String> allowedHosts,
        @DefaultValue("5s") Duration connectTimeout,
        @DefaultValue("10s") Duration readTimeout,
        @DefaultValue("10s") Duration retryBase,
        @DefaultValue("1h") Duration retryMax,
        @DefaultValue("4") @Min(1) int senders,
        @DefaultValue("1s") Duration pollInterval) {

    public WebhookProperties {
        allowedHosts = allowedHosts == null ? List.of() : List.copyOf(allowedHosts);
    }

    /** The wait after the {@code attempt}th failed try: retryBase doubled per try, at most retryMax. */
    Duration backoff(int attempt) {
        Duration wait = retryBase;
        for (int i = 1; i < attempt && wait.compareTo(retryMax) < 0; i++) {
            wait = wait.multipliedBy(2);
        }
        return wait.compareTo(retryMax) > 0 ? retryMax : wait;
    }
}
