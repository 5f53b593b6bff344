package dev.crucible.storage;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * This installation's identity, made once and kept in its database. Containers carry it as a
 * label, so that two installations sharing one Docker daemon (a test run beside a running
 * platform, say) never take each other's containers for orphans. Processes that start on a new
 * database at the same moment all end up with the same id (the table holds one row).
 */
@Component
public class Installation {

    private final String id;

    public Installation(JdbcClient jdbc) {
        this.id = read(jdbc).orElseGet(() -> {
            String fresh = UUID.randomUUID().toString();
            try {
                jdbc.sql("INSERT INTO installation (id, created_at) VALUES (:id, :now)")
                        .param("id", fresh).param("now", Instant.now().atOffset(ZoneOffset.UTC)).update();
                return fresh;
            } catch (DuplicateKeyException another) {
                // another process made it first (the table holds one row): take that one
                return read(jdbc).orElseThrow(() -> another);
            }
        });
    }

    private static java.util.Optional<String> read(JdbcClient jdbc) {
        return jdbc.sql("SELECT id FROM installation").query(String.class).optional();
    }

    public String id() {
        return id;
    }
}
