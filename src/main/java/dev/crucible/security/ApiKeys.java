package dev.crucible.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * API keys: made on the API keys page (shown once, kept as a SHA-256 hash), revoked there, and
 * one more from {@code CRUCIBLE_API_TOKEN}. A key is checked with one index lookup.
 */
@Component
public class ApiKeys implements dev.crucible.evaluation.Submitters {

    static final String PREFIX = "crk_";
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final Duration LAST_USED_RESOLUTION = Duration.ofMinutes(1);
    private static final Duration CONFIGURED_CACHE = Duration.ofSeconds(2);

    public record ApiKey(String id, String name, String prefix, Instant createdAt, Instant lastUsedAt, Instant revokedAt) {
        public boolean active() {
            return revokedAt == null;
        }
    }

    /**
     * A new key: the secret is shown to its maker once and never again, and so is the secret
     * that signs its evaluations' callbacks.
     */
    public record Created(ApiKey key, String secret, String signingSecret) {
    }

    /** Who a valid key belongs to: the key's id, null for CRUCIBLE_API_TOKEN. */
    public record Holder(String name, String keyId) {
    }

    private final JdbcClient jdbc;
    private final Clock clock;
    private final byte[] environmentTokenHash;
    private volatile Instant configuredCheckedAt = Instant.EPOCH;
    private volatile boolean configured;

    public ApiKeys(JdbcClient jdbc, Clock clock, ApiProperties properties) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.environmentTokenHash = properties.token() == null || properties.token().isBlank()
                ? null : sha256(properties.token());
    }

    public Created create(String name) {
        String secret = PREFIX + random(40);
        ApiKey key = new ApiKey(UUID.randomUUID().toString(), name.strip(), secret.substring(0, PREFIX.length() + 6),
                clock.instant(), null, null);
        String signingSecret = "whsec_" + random(40);
        jdbc.sql("""
                INSERT INTO api_key (id, name, prefix, key_hash, created_at, signing_secret)
                VALUES (:id, :name, :prefix, :hash, :created, :signing)
                """)
                .param("id", key.id()).param("name", key.name()).param("prefix", key.prefix())
                .param("hash", HexFormat.of().formatHex(sha256(secret))).param("created", utc(key.createdAt()))
                .param("signing", signingSecret)
                .update();
        configured = true;
        return new Created(key, secret, signingSecret);
    }

    /** The API key of the current request (set by ApiKeyFilter), or null. */
    @Override
    public String currentKeyId() {
        var authentication = org.springframework.security.core.context.SecurityContextHolder.getContext().getAuthentication();
        return authentication != null && authentication.getDetails() instanceof Holder holder ? holder.keyId() : null;
    }

    public List<ApiKey> list() {
        return jdbc.sql("SELECT * FROM api_key ORDER BY revoked_at IS NOT NULL, created_at DESC").query(this::key).list();
    }

    public boolean revoke(String id) {
        boolean revoked = jdbc.sql("UPDATE api_key SET revoked_at = :now WHERE id = :id AND revoked_at IS NULL")
                .param("now", utc(clock.instant())).param("id", id).update() == 1;
        configuredCheckedAt = Instant.EPOCH;
        return revoked;
    }

    /** The holder of {@code presented}, if it is a valid, unrevoked key. */
    public Optional<Holder> authenticate(String presented) {
        if (presented == null || presented.isBlank()) {
            return Optional.empty();
        }
        byte[] hash = sha256(presented.strip());
        if (environmentTokenHash != null && MessageDigest.isEqual(hash, environmentTokenHash)) {
            return Optional.of(new Holder("CRUCIBLE_API_TOKEN", null));
        }
        Optional<ApiKey> key = jdbc.sql("SELECT * FROM api_key WHERE key_hash = :hash AND revoked_at IS NULL")
                .param("hash", HexFormat.of().formatHex(hash)).query(this::key).optional();
        key.ifPresent(this::touch);
        return key.map(k -> new Holder(k.name(), k.id()));
    }

    /**
     * True when any key exists (the environment's or an unrevoked stored one). Without one the
     * API is in protected mode: it answers clients on this machine only. Cached for two seconds.
     */
    public boolean anyConfigured() {
        if (environmentTokenHash != null) {
            return true;
        }
        Instant now = clock.instant();
        if (now.isAfter(configuredCheckedAt.plus(CONFIGURED_CACHE))) {
            configured = jdbc.sql("SELECT COUNT(*) FROM api_key WHERE revoked_at IS NULL").query(Long.class).single() > 0;
            configuredCheckedAt = now;
        }
        return configured;
    }

    private void touch(ApiKey key) {
        Instant now = clock.instant();
        if (key.lastUsedAt() == null || key.lastUsedAt().plus(LAST_USED_RESOLUTION).isBefore(now)) {
            jdbc.sql("UPDATE api_key SET last_used_at = :now WHERE id = :id")
                    .param("now", utc(now)).param("id", key.id()).update();
        }
    }

    private ApiKey key(ResultSet rs, int row) throws SQLException {
        return new ApiKey(rs.getString("id"), rs.getString("name"), rs.getString("prefix"),
                instant(rs, "created_at"), instant(rs, "last_used_at"), instant(rs, "revoked_at"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String random(int length) {
        SecureRandom random = new SecureRandom();
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return text.toString();
    }
}
