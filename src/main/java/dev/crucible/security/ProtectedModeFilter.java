package dev.crucible.security;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * Protected mode, as Redis has it: while no API key exists at all, the API answers clients on this
 * machine without one, so the quick start's curl works, and nobody else. A request counts as local
 * only as {@link LocalClient} says. A reverse proxy on the same host that adds forwarding headers
 * makes nothing local; one that adds none makes everything look local: create a key, and
 * protected mode ends.
 */
class ProtectedModeFilter extends ApiAuthenticationFilter {

    private final ApiKeys keys;

    ProtectedModeFilter(ApiKeys keys) {
        this.keys = keys;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        var current = SecurityContextHolder.getContext().getAuthentication();
        boolean authenticated = current != null && current.isAuthenticated()
                && !"anonymousUser".equals(current.getPrincipal());
        if (authenticated || keys.anyConfigured() || !LocalClient.isLocal(request)) {
            chain.doFilter(request, response);
            return;
        }
        continueAs("local", request, response, chain);
    }
}
