package dev.crucible.security;

import java.time.Duration;

import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The admin login of the web UI.
 *
 * @param username the admin's user name
 * @param password {@code CRUCIBLE_ADMIN_PASSWORD}; when unset, a random password is made on the
 *                 first start, stored hashed and printed once in the log
 * @param loginAttempts failed sign-ins in a row (per user name and client address) before the
 *                      next one must wait
 * @param loginLockout the first wait; it doubles with each further failure, up to an hour
 */
@Validated
@ConfigurationProperties("crucible.admin")
public record AdminProperties(@DefaultValue("admin") String username, String password,
        @DefaultValue("5") @Min(1) int loginAttempts, @DefaultValue("30s") Duration loginLockout) {
}
