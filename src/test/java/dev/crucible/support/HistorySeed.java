package dev.crucible.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.springframework.jdbc.core.simple.JdbcClient;

/** Fills the evaluation table with synthetic history (bench/seed-history.sql, the benchmark's own seed). */
public final class HistorySeed {

    private HistorySeed() {
    }

    public static void seed(JdbcClient jdbc, int rows) {
        try {
            String sql = Files.readString(Path.of("bench", "seed-history.sql"))
                    .replace("SYSTEM_RANGE(1, 100000)", "SYSTEM_RANGE(1, " + rows + ")")
                    .replace("X - 100000", "X - " + rows)
                    .replace("X - 99999", "X - " + (rows - 1));
            String statements = sql.lines().filter(l -> !l.startsWith("--")).reduce("", (a, b) -> a + "\n" + b).trim();
            for (String statement : statements.split(";\\s*(\\n|$)")) {
                if (!statement.isBlank()) {
                    jdbc.sql(statement).update();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
