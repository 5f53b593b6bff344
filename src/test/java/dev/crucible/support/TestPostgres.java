package dev.crucible.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * The real PostgreSQL server of the tests (deploy/dev/ensure-postgres.sh, which the test command
 * runs: Debian's postgresql on 127.0.0.1:5432 with a role that may create databases). Each test
 * makes a database of its own and drops it afterwards. Settings: the system properties or
 * environment variables crucible.test.postgres.{host,port,user,password}
 * (CRUCIBLE_TEST_PG_HOST, _PORT, _USER, _PASSWORD).
 */
public final class TestPostgres {

    public static final String HOST = setting("crucible.test.postgres.host", "CRUCIBLE_TEST_PG_HOST", "127.0.0.1");
    public static final String PORT = setting("crucible.test.postgres.port", "CRUCIBLE_TEST_PG_PORT", "5432");
    public static final String USER = setting("crucible.test.postgres.user", "CRUCIBLE_TEST_PG_USER", "crucible_test");
    public static final String PASSWORD = setting("crucible.test.postgres.password", "CRUCIBLE_TEST_PG_PASSWORD", "crucible_test");

    private TestPostgres() {
    }

    private static String setting(String property, String env, String fallback) {
        String value = System.getProperty(property, System.getenv(env));
        return value == null || value.isBlank() ? fallback : value;
    }

    public static String url(String database) {
        return "jdbc:postgresql://" + HOST + ":" + PORT + "/" + database;
    }

    /** Makes an empty database and returns its JDBC URL. */
    public static String createDatabase(String purpose) {
        String name = ("crucible_" + purpose + "_" + UUID.randomUUID().toString().substring(0, 8)).toLowerCase()
                .replaceAll("[^a-z0-9_]", "_");
        execute("CREATE DATABASE " + name);
        return url(name);
    }

    /** A small pool on a database of the tests' server, for a test's own looks at it. */
    /**
     * A database of its own for a Spring test's context: made now, and the context's datasource
     * pointed at it. Returns its URL (for {@link #dropDatabase}).
     */
    public static String useNewDatabase(org.springframework.test.context.DynamicPropertyRegistry properties, String purpose) {
        String database = createDatabase(purpose);
        properties.add("spring.datasource.url", () -> database);
        properties.add("spring.datasource.username", () -> USER);
        properties.add("spring.datasource.password", () -> PASSWORD);
        return database;
    }

    public static com.zaxxer.hikari.HikariDataSource dataSource(String url) {
        com.zaxxer.hikari.HikariDataSource dataSource = new com.zaxxer.hikari.HikariDataSource();
        dataSource.setJdbcUrl(url);
        dataSource.setUsername(USER);
        dataSource.setPassword(PASSWORD);
        dataSource.setMaximumPoolSize(4);
        return dataSource;
    }

    /**
     * Drops a test's database, ending its sessions. A session this role may not end (autovacuum
     * working on the fresh database, as the superuser) refuses FORCE: then the plain drop, which
     * waits for autovacuum to give way, is tried a few times.
     */
    public static void dropDatabase(String url) {
        String name = url.substring(url.lastIndexOf('/') + 1);
        try {
            execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        } catch (IllegalStateException refused) {
            for (int attempt = 1; ; attempt++) {
                try {
                    execute("DROP DATABASE IF EXISTS " + name);
                    return;
                } catch (IllegalStateException busy) {
                    if (attempt == 10) {
                        busy.addSuppressed(refused);
                        throw busy;
                    }
                    try {
                        Thread.sleep(500);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw busy;
                    }
                }
            }
        }
    }

    private static void execute(String sql) {
        try (Connection connection = DriverManager.getConnection(url("postgres"), USER, PASSWORD);
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL at " + HOST + ":" + PORT + " (user " + USER + ") refused: "
                    + e.getMessage() + " (the test command starts it: deploy/dev/ensure-postgres.sh)", e);
        }
    }

    /**
     * Stops the tests' server at once (fast shutdown: sessions are ended), as an outage would;
     * {@link #startServer} brings it back. Through Debian's pg_ctlcluster, as the test command
     * starts it.
     */
    public static void stopServer() {
        cluster("stop", "-m", "fast");
    }

    public static void startServer() {
        cluster("start");
    }

    private static void cluster(String... action) {
        try {
            String clusters = Commands.run(java.util.Map.of(), java.time.Duration.ofSeconds(30), "pg_lsclusters", "--no-header")
                    .output();
            String[] serving = clusters.lines().map(l -> l.trim().split("\\s+")).filter(c -> c.length > 2 && c[2].equals(PORT))
                    .findFirst().orElseThrow(() -> new IllegalStateException("no cluster on port " + PORT + ":\n" + clusters));
            java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of("pg_ctlcluster", serving[0], serving[1]));
            command.addAll(java.util.List.of(action));
            Commands.Result result = Commands.run(java.util.Map.of(), java.time.Duration.ofSeconds(60), command.toArray(String[]::new));
            if (result.exit() != 0 && !result.output().contains("already running")) {
                throw new IllegalStateException(String.join(" ", command) + ": " + result.output());
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
