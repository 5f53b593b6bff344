package dev.crucible.security;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * @param token {@code CRUCIBLE_API_TOKEN}: one API key given by the environment (besides the keys
 *              made on the API keys page); never stored, never logged
 */
@ConfigurationProperties("crucible.api")
public record ApiProperties(String token) {
}
