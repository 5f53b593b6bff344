package dev.crucible.security;

import java.io.IOException;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Authenticates API requests that carry a key ({@code Authorization: Bearer <key>} or
 * {@code X-API-Key: <key>}). A request that presents a wrong or revoked key is refused at once
 * with 401, even from this machine: a client that sends a key means to use it.
 */
class ApiKeyFilter extends ApiAuthenticationFilter {

    static final String HEADER = "X-API-Key";

    private final ApiKeys keys;

    ApiKeyFilter(ApiKeys keys) {
        this.keys = keys;
    }

    static String presentedKey(HttpServletRequest request) {
        String header = request.getHeader(HEADER);
        if (header != null && !header.isBlank()) {
            return header.strip();
        }
        String authorization = request.getHeader("Authorization");
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return authorization.substring(7).strip();
        }
        return null;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String presented = presentedKey(request);
        if (presented == null) {
            chain.doFilter(request, response);
            return;
        }
        var holder = keys.authenticate(presented);
        if (holder.isEmpty()) {
            ApiErrorResponses.write(response, 401, "Invalid or revoked API key. " + ApiErrorResponses.HOW_TO_GET_A_KEY);
            return;
        }
        continueAs("api-key:" + holder.get().name(), holder.get(), request, response, chain);
    }
}
