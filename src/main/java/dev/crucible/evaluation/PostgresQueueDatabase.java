package dev.crucible.evaluation;

import java.time.Instant;
import java.util.Optional;

import javax.sql.DataSource;

import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * PostgreSQL, the shared queue of many workers: the claim is one statement and one round trip.
 * The head of the lane is locked with {@code FOR UPDATE SKIP LOCKED}, so concurrent claimers
 * never wait for each other and never get the same row (each skips what another holds), and the
 * row comes back with {@code RETURNING}. A head whose memory limit does not fit is locked and left
 * as it is: the statement claims nothing, and the head keeps its place. Never exclusive: other
 * processes may share the database.
 */
final class PostgresQueueDatabase implements QueueDatabase {

    @Override
    public String name() {
        return "PostgreSQL";
    }

    @Override
    public boolean exclusive() {
        return false;
    }

    /** LISTEN/NOTIFY: new work, cancels and ends reach the other processes within milliseconds. */
    @Override
    public NodeSignals signals(DataSource dataSource) {
        return new PostgresNodeSignals(dataSource);
    }

    private static final String CLAIM = "UPDATE evaluation " + CLAIM_SET + """
            WHERE id = (SELECT id FROM evaluation WHERE status = 'queued' %s
                        ORDER BY priority DESC, seq FOR UPDATE SKIP LOCKED LIMIT 1)
              AND memory_bytes <= :room
            RETURNING *
            """;

    @Override
    public Optional<Evaluation> claim(JdbcClient jdbc, RowMapper<Evaluation> rows, String workerId, Instant now, Lane lane,
            long memoryRoom) {
        return jdbc.sql(CLAIM.formatted(lane.condition))
                .param("worker", workerId).param("now", QueueDatabase.utc(now)).param("room", memoryRoom)
                .query(rows).optional();
    }
}
