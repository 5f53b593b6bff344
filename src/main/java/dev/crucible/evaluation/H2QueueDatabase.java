package dev.crucible.evaluation;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import javax.sql.DataSource;

import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * H2, the embedded default: a candidate query, then a conditional update per candidate until one
 * is won (the update's {@code status = 'queued'} fences out a second claimer), once per row
 * claimed, as long as the next in line fits in the memory room left. A file database opened
 * without AUTO_SERVER or a TCP server belongs to this process alone (H2 locks the file).
 */
final class H2QueueDatabase implements QueueDatabase {

    private final boolean exclusive;

    H2QueueDatabase(String jdbcUrl) {
        String url = jdbcUrl == null ? "" : jdbcUrl.toUpperCase(Locale.ROOT);
        this.exclusive = url.startsWith("JDBC:H2:") && !url.startsWith("JDBC:H2:TCP:") && !url.startsWith("JDBC:H2:SSL:")
                && !url.contains("AUTO_SERVER=TRUE");
    }

    @Override
    public String name() {
        return "H2";
    }

    @Override
    public boolean exclusive() {
        return exclusive;
    }

    /**
     * None: a database of this process alone has nobody to tell, and processes sharing one H2
     * server find each other's work at their next look at the queue.
     */
    @Override
    public NodeSignals signals(DataSource dataSource) {
        return NodeSignals.NONE;
    }

    @Override
    public List<Evaluation> claim(JdbcClient jdbc, RowMapper<Evaluation> rows, String workerId, Instant now, Lane lane,
            int count, long memoryRoom) {
        List<Evaluation> claimed = new ArrayList<>();
        long room = memoryRoom;
        while (claimed.size() < count) {
            Optional<Evaluation> next = claimOne(jdbc, rows, workerId, now, lane, room);
            if (next.isEmpty()) {
                break;
            }
            claimed.add(next.get());
            room -= next.get().limits().memoryBytes();
        }
        return claimed;
    }

    private static Optional<Evaluation> claimOne(JdbcClient jdbc, RowMapper<Evaluation> rows, String workerId, Instant now,
            Lane lane, long memoryRoom) {
        record Candidate(String id, long memoryBytes) {
        }
        List<Candidate> candidates = jdbc.sql("SELECT id, memory_bytes FROM evaluation WHERE status = 'queued'" + lane.condition
                + " ORDER BY priority DESC, seq FETCH FIRST 8 ROWS ONLY")
                .query((rs, n) -> new Candidate(rs.getString(1), rs.getLong(2))).list();
        for (Candidate candidate : candidates) {
            if (candidate.memoryBytes() > memoryRoom) {
                return Optional.empty();
            }
            int won = jdbc.sql("UPDATE evaluation " + CLAIM_SET + " WHERE id = :id AND status = 'queued'")
                    .param("worker", workerId).param("now", QueueDatabase.utc(now)).param("id", candidate.id()).update();
            if (won == 1) {
                return jdbc.sql("SELECT * FROM evaluation WHERE id = :id").param("id", candidate.id()).query(rows).optional();
            }
        }
        return Optional.empty();
    }
}
