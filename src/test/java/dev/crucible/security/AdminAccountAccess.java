package dev.crucible.security;

import java.time.Clock;
import java.time.Duration;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;

/** Starts an admin account the way a starting platform does, for tests outside this package. */
public final class AdminAccountAccess {

    private AdminAccountAccess() {
    }

    public static AdminAccount make(JdbcClient jdbc, String password) {
        return new AdminAccount(jdbc, PasswordEncoderFactories.createDelegatingPasswordEncoder(),
                new AdminProperties("admin", password, 5, Duration.ofSeconds(30)), Clock.systemUTC());
    }
}
