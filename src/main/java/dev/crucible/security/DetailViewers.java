package dev.crucible.security;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * Who may see the platform's inner state (error texts of the database and the Docker daemon,
 * image and registry names): a client on this machine, an API key or the admin's session.
 * Strangers learn less from a health check than an attacker would like.
 */
public final class DetailViewers {

    private DetailViewers() {
    }

    public static boolean mayViewDetails(HttpServletRequest request) {
        Authentication current = SecurityContextHolder.getContext().getAuthentication();
        if (current != null && current.isAuthenticated() && current.getAuthorities().stream()
                .anyMatch(a -> a.equals(Roles.API_AUTHORITY) || a.equals(Roles.ADMIN_AUTHORITY))) {
            return true;
        }
        return LocalClient.isLocal(request);
    }
}
