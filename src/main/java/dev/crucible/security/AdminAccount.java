package dev.crucible.security;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;

/**
 * The one admin account of the web UI, kept hashed in the database. Its password comes from
 * {@code CRUCIBLE_ADMIN_PASSWORD}; without it, the first start makes a random one and prints it
 * once in the log (as Jenkins does), and later starts keep the stored hash.
 */
@Component
public class AdminAccount implements UserDetailsService {

    private static final Logger log = LoggerFactory.getLogger(AdminAccount.class);
    private static final String ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";

    private final JdbcClient jdbc;
    private final PasswordEncoder encoder;
    private final String username;

    public AdminAccount(JdbcClient jdbc, PasswordEncoder encoder, AdminProperties properties, Clock clock) {
        this.jdbc = jdbc;
        this.encoder = encoder;
        this.username = properties.username();
        Optional<String> stored = storedHash();
        var now = clock.instant().atOffset(ZoneOffset.UTC);
        if (properties.password() != null && !properties.password().isBlank()) {
            if (stored.isEmpty() && insert(encoder.encode(properties.password()), now)) {
                return;
            }
            stored = storedHash();
            if (!encoder.matches(properties.password(), stored.orElseThrow())) {
                jdbc.sql("UPDATE admin_account SET password_hash = :h, updated_at = :now WHERE username = :u")
                        .param("u", username).param("h", encoder.encode(properties.password())).param("now", now).update();
                log.info("The admin password was changed to the one in CRUCIBLE_ADMIN_PASSWORD");
            }
        } else if (stored.isEmpty()) {
            String generated = randomPassword();
            if (!insert(encoder.encode(generated), now)) {
                log.info("The admin account was made by another process starting at the same time: its password is "
                        + "in that process's log");
                return;
            }
            log.warn("""

                    *************************************************************
                    Crucible made an admin password for the web UI (user '{}'):

                        {}

                    It is shown this once and stored only as a hash. Set
                    CRUCIBLE_ADMIN_PASSWORD to choose your own.
                    *************************************************************""", username, generated);
        }
    }

    /** False when another process (starting on the same database at the same time) made the account first. */
    private boolean insert(String hash, OffsetDateTime now) {
        try {
            jdbc.sql("INSERT INTO admin_account (username, password_hash, created_at, updated_at) VALUES (:u, :h, :now, :now)")
                    .param("u", username).param("h", hash).param("now", now).update();
            return true;
        } catch (DuplicateKeyException another) {
            return false;
        }
    }

    private Optional<String> storedHash() {
        return jdbc.sql("SELECT password_hash FROM admin_account WHERE username = :u").param("u", username)
                .query(String.class).optional();
    }

    @Override
    public UserDetails loadUserByUsername(String name) {
        if (!username.equals(name)) {
            throw new UsernameNotFoundException("no such user");
        }
        String hash = storedHash().orElseThrow(() -> new UsernameNotFoundException("no such user"));
        return User.withUsername(username).password(hash).authorities(List.of(Roles.ADMIN_AUTHORITY)).build();
    }

    static String randomPassword() {
        SecureRandom random = new SecureRandom();
        StringBuilder password = new StringBuilder(24);
        for (int i = 0; i < 24; i++) {
            password.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return password.toString();
    }
}
