package dev.crucible.live;

import java.util.List;
import java.util.Optional;

import javax.sql.DataSource;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The {@code evaluation_output_chunk} table (live output of running evaluations), and what an
 * event stream reads of the evaluation itself: its status, attempt and, once it has ended, its
 * output with the streams it came from.
 */
@Repository
class OutputChunks {

    /** One stretch of one stream of a run's combined output, from {@code start} to {@code end}. */
    record Chunk(String evalId, int attempt, int start, int end, boolean stderr, String text) {
    }

    /**
     * What an event stream needs of an evaluation: the output fields are read only once it has
     * ended (null before).
     */
    record State(String status, int attempts, String output, String segments, boolean hasStdout, boolean hasStderr,
            boolean testCases) {

        boolean ended() {
            return !"queued".equals(status) && !"running".equals(status);
        }
    }

    private final JdbcClient jdbc;
    private final JdbcTemplate template;

    OutputChunks(DataSource dataSource) {
        this.jdbc = JdbcClient.create(dataSource);
        this.template = new JdbcTemplate(dataSource);
    }

    /** Adds chunks (one batch, one transaction: all or none). */
    @org.springframework.transaction.annotation.Transactional
    void add(List<Chunk> chunks) {
        if (chunks.isEmpty()) {
            return;
        }
        template.batchUpdate("""
                INSERT INTO evaluation_output_chunk (evaluation_id, attempt, start_offset, end_offset, stderr, text)
                VALUES (?, ?, ?, ?, ?, ?)
                """, chunks, chunks.size(), (ps, c) -> {
            ps.setString(1, c.evalId());
            ps.setInt(2, c.attempt());
            ps.setInt(3, c.start());
            ps.setInt(4, c.end());
            ps.setBoolean(5, c.stderr());
            ps.setString(6, c.text());
        });
    }

    /** The chunks of {@code attempt} that reach past {@code from}, in order. */
    List<Chunk> after(String evalId, int attempt, int from) {
        return jdbc.sql("""
                SELECT start_offset, end_offset, stderr, text FROM evaluation_output_chunk
                WHERE evaluation_id = :id AND attempt = :attempt AND end_offset > :from ORDER BY start_offset
                """).param("id", evalId).param("attempt", attempt).param("from", from)
                .query((rs, n) -> new Chunk(evalId, attempt, rs.getInt(1), rs.getInt(2), rs.getBoolean(3), rs.getString(4)))
                .list();
    }

    /** The evaluation's state; empty when there is no such evaluation (any more). */
    Optional<State> state(String evalId) {
        return jdbc.sql("""
                SELECT status, attempts,
                       CASE WHEN status IN ('queued', 'running') THEN NULL ELSE output END AS output,
                       output_segments,
                       stdout IS NOT NULL AND LENGTH(stdout) > 0 AS has_stdout,
                       stderr IS NOT NULL AND LENGTH(stderr) > 0 AS has_stderr,
                       test_cases IS NOT NULL AS has_cases
                FROM evaluation WHERE id = :id
                """).param("id", evalId)
                .query((rs, n) -> new State(rs.getString("status"), rs.getInt("attempts"), rs.getString("output"),
                        rs.getString("output_segments"), rs.getBoolean("has_stdout"), rs.getBoolean("has_stderr"),
                        rs.getBoolean("has_cases")))
                .optional();
    }

    /**
     * Removes the chunks of evaluations that have ended (their row says it all now) and of
     * attempts that were run again; how many. It reads the chunk table, which holds running
     * work only, and each chunk's evaluation by its key: never the whole history.
     */
    int deleteEnded() {
        return jdbc.sql("""
                DELETE FROM evaluation_output_chunk WHERE EXISTS (SELECT 1 FROM evaluation e
                    WHERE e.id = evaluation_output_chunk.evaluation_id
                    AND (e.status NOT IN ('queued', 'running') OR e.attempts > evaluation_output_chunk.attempt))
                """).update();
    }
}
