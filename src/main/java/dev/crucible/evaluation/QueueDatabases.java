package dev.crucible.evaluation;

import java.sql.DatabaseMetaData;
import java.sql.SQLException;

import javax.sql.DataSource;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.support.JdbcUtils;
import org.springframework.jdbc.support.MetaDataAccessException;

/** Picks the {@link QueueDatabase} for the database the platform is connected to. */
@Configuration(proxyBeanMethods = false)
public class QueueDatabases {

    @Bean
    QueueDatabase queueDatabase(DataSource dataSource) throws MetaDataAccessException {
        return JdbcUtils.extractDatabaseMetaData(dataSource, QueueDatabases::forMetaData);
    }

    /** Closed last, after everything that sends or listens has stopped. */
    @Bean(destroyMethod = "close")
    NodeSignals nodeSignals(QueueDatabase queueDatabase, DataSource dataSource) {
        return queueDatabase.signals(dataSource);
    }

    /** The queue's vendor behaviour for a connection; unknown databases are refused at start-up. */
    public static QueueDatabase forMetaData(DatabaseMetaData metaData) throws SQLException {
        String product = metaData.getDatabaseProductName();
        return switch (product) {
            case "H2" -> new H2QueueDatabase(metaData.getURL());
            case "PostgreSQL" -> new PostgresQueueDatabase();
            default -> throw new IllegalStateException("Crucible's queue runs on H2 or PostgreSQL, not on " + product);
        };
    }
}
