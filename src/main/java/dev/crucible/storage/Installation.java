package dev.crucible.storage;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * This installation's identity, made once and kept in its database. Containers carry it as a
 * label, so that two installations sharing one Docker daemon (a test run beside a running
 * platform, say) never take each other's containers for orphans.
 */
@Component
public class Installation {

    private final String id;

    public Installation(JdbcClient jdbc) {
        this.id = jdbc.sql("SELECT id FROM installation").query(String.class).optional().orElseGet(() -> {
            String fresh = UUID.randomUUID().toString();
            jdbc.sql("INSERT INTO installation (id, created_at) VALUES (:id, :now)")
                    .param("id", fresh).param("now", Instant.now().atOffset(ZoneOffset.UTC)).update();
            return fresh;
        });
    }

    public String id() {
        return id;
    }
}
