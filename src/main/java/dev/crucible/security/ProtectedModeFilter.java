package dev.crucible.security;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * Protected mode, as Redis has it: while no API key exists at all, the API answers clients on this
 * machine without one, so the quick start's curl works, and nobody else. A request counts as local
 * only when it comes from a loopback address, names a loopback host (no DNS rebinding) and is not
 * sent by a web page of another origin (a browser always says where a cross-origin request comes
 * from), so a malicious page in a local browser cannot submit code either. Behind a reverse proxy
 * on the same host every request looks local: create a key, and protected mode ends.
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
        if (authenticated || keys.anyConfigured() || !isLocal(request)) {
            chain.doFilter(request, response);
            return;
        }
        continueAs("local", request, response, chain);
    }

    static boolean isLocal(HttpServletRequest request) {
        if (!isLoopbackAddress(request.getRemoteAddr()) || !isLoopbackName(request.getServerName())) {
            return false;
        }
        String origin = request.getHeader("Origin");
        if (origin != null && !origin.equals("null")) {
            try {
                return isLoopbackName(URI.create(origin).getHost());
            } catch (IllegalArgumentException e) {
                return false;
            }
        }
        return !"cross-site".equals(request.getHeader("Sec-Fetch-Site"));
    }

    private static boolean isLoopbackAddress(String address) {
        try {
            return address != null && InetAddress.getByName(address).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static boolean isLoopbackName(String host) {
        if (host == null) {
            return false;
        }
        String name = host.toLowerCase(Locale.ROOT).replaceAll("^\\[|\\]$", "");
        return name.equals("localhost") || name.endsWith(".localhost") || name.startsWith("127.") || name.equals("::1");
    }
}
