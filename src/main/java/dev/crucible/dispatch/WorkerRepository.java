package dev.crucible.dispatch;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.crucible.sandbox.ExecutionBackend;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The worker table: every process that runs evaluations, as it last said of itself. */
@Repository
public class WorkerRepository {

    /** One worker as the table has it, with what it ran (counted from the evaluations it holds). */
    public record Worker(String id, String host, String state, String dockerVersion, List<String> images, int slots,
            int slotsInUse, long done, long failed, Instant startedAt, Instant heartbeatAt, Integer poolReady,
            Long poolHandedOut) {

        /** Whether the worker said it keeps a pool of pre-started containers. */
        public boolean pools() {
            return poolReady != null;
        }
    }

    private final JdbcClient jdbc;

    WorkerRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Registers a starting worker; one that was stopped and is started again (same process) is running again. */
    void register(String id, String host, int slots, Instant now) {
        int again = jdbc.sql("UPDATE worker SET state = 'running', slots = :slots, heartbeat_at = :now WHERE id = :id")
                .param("id", id).param("slots", slots).param("now", utc(now)).update();
        if (again == 0) {
            jdbc.sql("""
                    INSERT INTO worker (id, host, state, slots, slots_in_use, started_at, heartbeat_at)
                    VALUES (:id, :host, 'running', :slots, 0, :now, :now)
                    """).param("id", id).param("host", host).param("slots", slots).param("now", utc(now)).update();
        }
    }

    /** Proof of life and what the worker holds now; false when it was marked dead meanwhile. */
    boolean heartbeat(String id, int slotsInUse, long memoryBudget, String dockerVersion, String images,
            ExecutionBackend.Readiness pool, Instant now) {
        return jdbc.sql("""
                UPDATE worker SET heartbeat_at = :now, slots_in_use = :used, memory_budget = :budget, docker_version = :docker,
                                  images = :images, pool_ready = :ready, pool_handed_out = :handedOut
                WHERE id = :id AND state IN ('running', 'draining')
                """).param("now", utc(now)).param("used", slotsInUse).param("budget", memoryBudget)
                .param("docker", dockerVersion).param("images", images)
                .param("ready", pool.enabled() ? pool.ready() : null, java.sql.Types.INTEGER)
                .param("handedOut", pool.enabled() ? pool.handedOut() : null, java.sql.Types.BIGINT)
                .param("id", id).update() == 1;
    }

    /** The largest memory budget of the live workers; empty when none is live. */
    java.util.OptionalLong largestLiveMemoryBudget() {
        Long largest = jdbc.sql("SELECT MAX(memory_budget) FROM worker WHERE state IN ('running', 'draining')")
                .query(Long.class).optional().orElse(null);
        return largest == null ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(largest);
    }

    /** Sets a live worker's state (running or draining); false when there is no such live worker. */
    public boolean setLiveState(String id, String state) {
        return jdbc.sql("UPDATE worker SET state = :state WHERE id = :id AND state IN ('running', 'draining')")
                .param("state", state).param("id", id).update() == 1;
    }

    java.util.Optional<String> stateOf(String id) {
        return jdbc.sql("SELECT state FROM worker WHERE id = :id").param("id", id).query(String.class).optional();
    }

    void setState(String id, String state) {
        jdbc.sql("UPDATE worker SET state = :state WHERE id = :id").param("state", state).param("id", id).update();
    }

    /** Marks dead every live worker silent since {@code before}; returns their ids. */
    List<String> markDead(Instant before) {
        List<String> silent = jdbc.sql("SELECT id FROM worker WHERE state IN ('running', 'draining') AND heartbeat_at < :before")
                .param("before", utc(before)).query(String.class).list();
        for (String id : silent) {
            jdbc.sql("UPDATE worker SET state = 'dead' WHERE id = :id AND state IN ('running', 'draining') AND heartbeat_at < :before")
                    .param("id", id).param("before", utc(before)).update();
        }
        return silent;
    }

    /** Every worker, live ones first, newest first. */
    public List<Worker> all() {
        Map<String, long[]> counts = new HashMap<>();
        jdbc.sql("""
                SELECT worker_id, status, COUNT(*) FROM evaluation
                WHERE worker_id IS NOT NULL AND status IN ('completed', 'failed', 'timeout')
                GROUP BY worker_id, status
                """).query((ResultSet rs) -> {
                    long[] c = counts.computeIfAbsent(rs.getString(1), k -> new long[2]);
                    c["completed".equals(rs.getString(2)) ? 0 : 1] += rs.getLong(3);
                });
        return jdbc.sql("""
                SELECT * FROM worker
                ORDER BY CASE state WHEN 'running' THEN 0 WHEN 'draining' THEN 1 ELSE 2 END, started_at DESC
                """).query((rs, n) -> worker(rs, counts)).list();
    }

    private static Worker worker(ResultSet rs, Map<String, long[]> counts) throws SQLException {
        long[] c = counts.getOrDefault(rs.getString("id"), new long[2]);
        String images = rs.getString("images");
        return new Worker(rs.getString("id"), rs.getString("host"), rs.getString("state"), rs.getString("docker_version"),
                images == null || images.isBlank() ? List.of() : List.of(images.split("\n")), rs.getInt("slots"),
                rs.getInt("slots_in_use"), c[0], c[1], rs.getObject("started_at", OffsetDateTime.class).toInstant(),
                rs.getObject("heartbeat_at", OffsetDateTime.class).toInstant(), rs.getObject("pool_ready", Integer.class),
                rs.getObject("pool_handed_out", Long.class));
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
