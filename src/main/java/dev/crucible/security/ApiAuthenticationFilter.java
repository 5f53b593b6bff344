package dev.crucible.security;

import java.io.IOException;
import java.util.List;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * What the API's own authentication filters share: they look at {@code /api/} requests (and
 * {@code /health}) only, on
 * every dispatch (?wait=true answers in an async dispatch, which must be authenticated again:
 * nothing of an API client is kept in a session), and they let a request continue as an API client.
 */
abstract class ApiAuthenticationFilter extends OncePerRequestFilter {

    @Override
    protected boolean shouldNotFilterAsyncDispatch() {
        return false;
    }

    @Override
    protected boolean shouldNotFilterErrorDispatch() {
        return false;
    }

    /** The API (with its OpenAPI document and the Prometheus scrape) and {@code /health}, whose full view a key opens. */
    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String uri = request.getRequestURI();
        return !SecurityConfiguration.isApi(uri) && !uri.equals("/health");
    }

    /** Lets the request continue as the API client {@code name}, for this request only. */
    static void continueAs(String name, HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        continueAs(name, null, request, response, chain);
    }

    /** The same, with {@code details} (the API key's holder) on the request's authentication. */
    static void continueAs(String name, Object details, HttpServletRequest request, HttpServletResponse response,
            FilterChain chain) throws ServletException, IOException {
        var context = SecurityContextHolder.createEmptyContext();
        var authentication = UsernamePasswordAuthenticationToken.authenticated(name, null, List.of(Roles.API_AUTHORITY));
        authentication.setDetails(details);
        context.setAuthentication(authentication);
        SecurityContextHolder.setContext(context);
        try {
            chain.doFilter(request, response);
        } finally {
            SecurityContextHolder.clearContext();
        }
    }
}
