package dev.crucible.security;

import org.springframework.security.core.authority.SimpleGrantedAuthority;

/** Who is who: the admin (web login) and API clients (a key, or a local client in protected mode). */
final class Roles {

    static final String ADMIN = "ADMIN";
    static final String API = "API";
    static final SimpleGrantedAuthority ADMIN_AUTHORITY = new SimpleGrantedAuthority("ROLE_" + ADMIN);
    static final SimpleGrantedAuthority API_AUTHORITY = new SimpleGrantedAuthority("ROLE_" + API);

    private Roles() {
    }
}
