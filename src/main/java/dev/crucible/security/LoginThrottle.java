package dev.crucible.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.springframework.stereotype.Component;

/**
 * Failed sign-ins, counted per user name and client address: after
 * {@code crucible.admin.login-attempts} failures in a row, that pair waits
 * {@code crucible.admin.login-lockout}, doubling with each further failure up to an hour. A
 * success clears the count. Keyed by the pair, so someone guessing from one address does not
 * lock the admin out everywhere else. The table is bounded: the oldest entries go first.
 */
@Component
class LoginThrottle {

    private static final int MAX_ENTRIES = 10_000;
    private static final Duration MAX_LOCKOUT = Duration.ofHours(1);

    private record Key(String user, String address) {
    }

    private record Failures(int count, Instant lockedUntil) {
    }

    private final Map<Key, Failures> failures = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, Failures> eldest) {
            return size() > MAX_ENTRIES;
        }
    };
    private final int freeAttempts;
    private final Duration lockout;
    private final Clock clock;

    LoginThrottle(AdminProperties properties, Clock clock) {
        this.freeAttempts = properties.loginAttempts();
        this.lockout = properties.loginLockout();
        this.clock = clock;
    }

    /** How long this user must wait before trying again from this address, if at all. */
    synchronized Optional<Duration> waitFor(String user, String address) {
        Failures f = failures.get(new Key(user, address));
        if (f == null || f.lockedUntil() == null) {
            return Optional.empty();
        }
        Duration left = Duration.between(clock.instant(), f.lockedUntil());
        return left.isNegative() || left.isZero() ? Optional.empty() : Optional.of(left);
    }

    synchronized void failed(String user, String address) {
        Key key = new Key(user, address);
        Failures before = failures.get(key);
        int count = before == null ? 1 : before.count() + 1;
        Instant lockedUntil = null;
        if (count >= freeAttempts) {
            int doublings = Math.min(count - freeAttempts, 16);
            Duration wait = lockout.multipliedBy(1L << doublings);
            lockedUntil = clock.instant().plus(wait.compareTo(MAX_LOCKOUT) > 0 ? MAX_LOCKOUT : wait);
        }
        failures.put(key, new Failures(count, lockedUntil));
    }

    synchronized void succeeded(String user, String address) {
        failures.remove(new Key(user, address));
    }
}
