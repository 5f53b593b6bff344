package dev.crucible.security;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The admin login of the web UI.
 *
 * @param username the admin's user name
 * @param password {@code CRUCIBLE_ADMIN_PASSWORD}; when unset, a random password is made on the
 *                 first start, stored hashed and printed once in the log
 */
@ConfigurationProperties("crucible.admin")
public record AdminProperties(@DefaultValue("admin") String username, String password) {
}
