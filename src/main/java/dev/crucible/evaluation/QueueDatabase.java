package dev.crucible.evaluation;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

import javax.sql.DataSource;

import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * What differs between the databases the queue runs on, as db-scheduler's
 * {@code JdbcCustomization} has it: the claim, whether the database belongs to this process
 * alone, and how processes sharing it signal each other. One implementation per vendor, chosen from the connection's {@code DatabaseMetaData}
 * ({@link QueueDatabases}); no other code writes vendor SQL or looks at JDBC URLs.
 */
public interface QueueDatabase {

    /** The SQL that moves a claimed row to running for {@code :worker} at {@code :now}. */
    String CLAIM_SET = """
            SET status = 'running', worker_id = :worker, started_at = :now, heartbeat_at = :now,
                attempts = attempts + 1
            """;

    /** The product as the driver names it ("H2", "PostgreSQL"). */
    String name();

    /**
     * Claims up to {@code count} of the next queued evaluations of {@code lane} (highest priority,
     * then oldest) for {@code workerId}, never one that another claimer holds, and returns them in
     * that order. Their memory limits add up to at most {@code memoryRoom}: the next in line whose
     * limit does not fit stops the claim, it waits for room rather than being overtaken for ever by
     * smaller work.
     */
    List<Evaluation> claim(JdbcClient jdbc, RowMapper<Evaluation> rows, String workerId, Instant now, Lane lane, int count,
            long memoryRoom);

    /**
     * Whether no other process can use this database: then every row left running at start-up
     * was left by an earlier run of this process, and recovery need not wait for heartbeats.
     */
    boolean exclusive();

    /** How processes sharing this database tell each other of new work, cancels and ends. */
    NodeSignals signals(DataSource dataSource);

    /** Which queued work a claim takes: single evaluations, batch items, or whichever comes first. */
    enum Lane {
        ANY(""), INTERACTIVE(" AND batch_id IS NULL"), BATCH(" AND batch_id IS NOT NULL");

        /** The lane's condition, to append to a WHERE clause. */
        public final String condition;

        Lane(String condition) {
            this.condition = condition;
        }
    }

    static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
