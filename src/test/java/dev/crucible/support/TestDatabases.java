package dev.crucible.support;

import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;

/**
 * Fresh, migrated databases for tests of what differs per vendor: an H2 file of its own, or a
 * database of its own on the tests' PostgreSQL ({@link TestPostgres}). Close the returned pool
 * with {@link #dispose}.
 */
public final class TestDatabases {

    public enum Vendor { H2, POSTGRESQL }

    private TestDatabases() {
    }

    /** A pooled data source on a new database, with every Flyway migration applied. */
    public static HikariDataSource create(Vendor vendor, String purpose) {
        HikariDataSource dataSource = new HikariDataSource();
        if (vendor == Vendor.H2) {
            dataSource.setJdbcUrl("jdbc:h2:file:" + TempStorage.create(purpose) + "/crucible;WRITE_DELAY=0");
            dataSource.setUsername("sa");
            dataSource.setPassword("");
        } else {
            dataSource.setJdbcUrl(TestPostgres.createDatabase(purpose));
            dataSource.setUsername(TestPostgres.USER);
            dataSource.setPassword(TestPostgres.PASSWORD);
        }
        dataSource.setMaximumPoolSize(12);
        Flyway.configure().dataSource(dataSource)
                .locations("classpath:db/migration/" + (vendor == Vendor.H2 ? "h2" : "postgresql")).load().migrate();
        return dataSource;
    }

    public static void dispose(Vendor vendor, HikariDataSource dataSource) {
        String url = dataSource.getJdbcUrl();
        dataSource.close();
        if (vendor == Vendor.POSTGRESQL) {
            TestPostgres.dropDatabase(url);
        }
    }
}
