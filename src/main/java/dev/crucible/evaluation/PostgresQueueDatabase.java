package dev.crucible.evaluation;

import java.time.Instant;
import java.util.List;

import javax.sql.DataSource;

import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * PostgreSQL, the shared queue of many workers: the claim is one statement and one round trip,
 * however many rows it takes. The head of the lane is locked with {@code FOR UPDATE SKIP LOCKED},
 * so concurrent claimers never wait for each other and never get the same row (each skips what
 * another holds); a running sum of the locked rows' memory limits keeps the longest prefix that
 * fits in the room, and those rows come back with {@code RETURNING}. Head rows that do not fit are
 * locked and left as they are until the statement commits: they keep their place. (The lock and
 * the sum sit in two CTEs because {@code FOR UPDATE} is not allowed beside a window function.)
 * Never exclusive: other processes may share the database.
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

    private static final String CLAIM = """
            WITH head AS (
                SELECT id, priority, seq, memory_bytes FROM evaluation WHERE status = 'queued' %s
                ORDER BY priority DESC, seq FOR UPDATE SKIP LOCKED LIMIT :count
            ), fitting AS (
                SELECT id FROM (SELECT id, SUM(memory_bytes) OVER (ORDER BY priority DESC, seq) AS needed FROM head) sums
                WHERE needed <= :room
            ), claimed AS (
                UPDATE evaluation
            """ + CLAIM_SET + """
                WHERE id IN (SELECT id FROM fitting)
                RETURNING *
            )
            SELECT * FROM claimed ORDER BY priority DESC, seq
            """;

    @Override
    public List<Evaluation> claim(JdbcClient jdbc, RowMapper<Evaluation> rows, String workerId, Instant now, Lane lane,
            int count, long memoryRoom) {
        return jdbc.sql(CLAIM.formatted(lane.condition)).param("count", count)
                .param("worker", workerId).param("now", QueueDatabase.utc(now)).param("room", memoryRoom)
                .query(rows).list();
    }
}
