package dev.crucible.batch;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The batch and batch_item tables. */
@Repository
class BatchRepository {

    /** One file of a batch, with its evaluation once ingested. */
    record Item(String batchId, int index, String path, String evalId, String skipReason, String language,
            Integer timeout, String stdin, String expectedOutput, ProgramSettings settings) {
    }

    private static final tools.jackson.databind.json.JsonMapper JSON = tools.jackson.databind.json.JsonMapper.builder().build();

    private final JdbcClient jdbc;

    BatchRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Inserts a batch owned by {@code owner} (the api process that will run its job). */
    void insert(Batch b, String owner, Instant now) {
        insert(b, owner, now, null);
    }

    /** The same, with the API key that made it (its secret signs the batch's callback), or null. */
    void insert(Batch b, String owner, Instant now, String apiKeyId) {
        jdbc.sql("""
                INSERT INTO batch (id, name, kind, status, total, skipped, default_language, default_timeout, default_memory,
                                   default_cpu, priority, archive_file, created_at, owner, owner_heartbeat_at,
                                   callback_url, callback_status, api_key_id)
                VALUES (:id, :name, :kind, :status, :total, :skipped, :language, :timeout, :memory, :cpu, :priority,
                        :archive, :created, :owner, :now, :callback, :callbackStatus, :apiKey)
                """)
                .param("callback", b.callback() == null ? null : b.callback().url())
                .param("callbackStatus", b.callback() == null ? null : dev.crucible.evaluation.Callback.PENDING)
                .param("apiKey", apiKeyId)
                .param("id", b.id()).param("name", b.name()).param("kind", b.kind()).param("status", b.status())
                .param("total", b.total()).param("skipped", b.skipped()).param("language", b.defaultLanguage())
                .param("timeout", b.defaultTimeout()).param("memory", b.defaultMemory()).param("cpu", b.defaultCpu())
                .param("priority", b.priority()).param("archive", b.archiveFile()).param("created", utc(b.createdAt()))
                .param("owner", owner).param("now", utc(now))
                .update();
    }

    /** Makes {@code owner} the batch's owner, whoever owned it before (it restarts the job). */
    void own(String id, String owner, Instant now) {
        jdbc.sql("UPDATE batch SET owner = :owner, owner_heartbeat_at = :now WHERE id = :id")
                .param("owner", owner).param("now", utc(now)).param("id", id).update();
    }

    /**
     * The owner proves itself alive for the running batches it owns, and for those that ended
     * after {@code endedAfter} (a cancelled batch's job may still be stopping).
     */
    int heartbeat(String owner, Instant now, Instant endedAfter) {
        return jdbc.sql("""
                UPDATE batch SET owner_heartbeat_at = :now
                WHERE owner = :owner AND (status = 'running' OR finished_at > :ended)
                """)
                .param("owner", owner).param("now", utc(now)).param("ended", utc(endedAfter)).update();
    }

    /**
     * Takes the batch over for {@code owner} if it has no owner or one silent since before
     * {@code silentBefore}; false when it is this owner's already or a live one's. Of processes
     * racing for the same batch, one wins.
     */
    boolean takeOver(String id, String owner, Instant now, Instant silentBefore) {
        return jdbc.sql("""
                UPDATE batch SET owner = :owner, owner_heartbeat_at = :now
                WHERE id = :id AND (owner IS NULL OR (owner <> :owner AND owner_heartbeat_at < :silent))
                """)
                .param("owner", owner).param("now", utc(now)).param("id", id).param("silent", utc(silentBefore)).update() == 1;
    }

    /** Takes over every running batch whose owner is gone (see {@link #takeOver}); returns their ids. */
    List<String> takeOverSilent(String owner, Instant now, Instant silentBefore) {
        List<String> silent = jdbc.sql("""
                SELECT id FROM batch WHERE status = 'running'
                  AND (owner IS NULL OR (owner <> :owner AND owner_heartbeat_at < :silent))
                """)
                .param("owner", owner).param("silent", utc(silentBefore)).query(String.class).list();
        return silent.stream().filter(id -> takeOver(id, owner, now, silentBefore)).toList();
    }

    /** Batches with this status that {@code owner} owns. */
    List<Batch> withStatusOwnedBy(String status, String owner) {
        return jdbc.sql("SELECT * FROM batch WHERE status = :status AND owner = :owner")
                .param("status", status).param("owner", owner).query(BatchRepository::batch).list();
    }

    void insertItems(String batchId, Collection<BatchPlan.Item> items) {
        for (BatchPlan.Item item : items) {
            jdbc.sql("""
                    INSERT INTO batch_item (batch_id, item_index, path, skip_reason, language, timeout_seconds, stdin,
                                            expected_output, settings)
                    VALUES (:batch, :index, :path, :skip, :language, :timeout, :stdin, :expected, :settings)
                    """)
                    .param("batch", batchId).param("index", item.index()).param("path", item.path())
                    .param("skip", item.skipReason()).param("language", item.language()).param("timeout", item.timeout())
                    .param("stdin", item.stdin()).param("expected", item.expectedOutput())
                    .param("settings", item.settings() == null || item.settings().isEmpty() ? null
                            : JSON.writeValueAsString(item.settings())).update();
        }
    }

    void insertItem(String batchId, int index, String path, String evalId, String language) {
        jdbc.sql("""
                INSERT INTO batch_item (batch_id, item_index, path, eval_id, language)
                VALUES (:batch, :index, :path, :eval, :language)
                """)
                .param("batch", batchId).param("index", index).param("path", path).param("eval", evalId)
                .param("language", language).update();
    }

    void linkEvaluation(String batchId, int index, String evalId) {
        jdbc.sql("UPDATE batch_item SET eval_id = :eval WHERE batch_id = :batch AND item_index = :index")
                .param("eval", evalId).param("batch", batchId).param("index", index).update();
    }

    Optional<Batch> find(String id) {
        return jdbc.sql("SELECT * FROM batch WHERE id = :id").param("id", id).query(BatchRepository::batch).optional();
    }

    /** Batches that ended (completed or cancelled) before {@code cutoff}, oldest first. */
    List<Batch> endedBefore(java.time.Instant cutoff, int limit) {
        return jdbc.sql("""
                SELECT * FROM batch WHERE status IN ('completed', 'cancelled') AND created_at < :cutoff
                ORDER BY created_at FETCH FIRST :limit ROWS ONLY
                """).param("cutoff", cutoff.atOffset(java.time.ZoneOffset.UTC)).param("limit", limit)
                .query(BatchRepository::batch).list();
    }

    /** Deletes a batch's row and its items (its evaluations go first, see BatchService). */
    void delete(String batchId) {
        jdbc.sql("DELETE FROM batch_item WHERE batch_id = :id").param("id", batchId).update();
        jdbc.sql("DELETE FROM batch WHERE id = :id").param("id", batchId).update();
    }

    List<Batch> list(int limit, long offset) {
        return jdbc.sql("SELECT * FROM batch ORDER BY created_at DESC, id DESC OFFSET :offset ROWS FETCH NEXT :limit ROWS ONLY")
                .param("offset", offset).param("limit", limit).query(BatchRepository::batch).list();
    }

    long count() {
        return jdbc.sql("SELECT COUNT(*) FROM batch").query(Long.class).single();
    }

    /** Sets the status, unless the batch was cancelled (a cancel is final). */
    boolean setStatus(String id, String status, String error, Instant finishedAt) {
        return jdbc.sql("""
                UPDATE batch SET status = :status, error = :error, finished_at = :finished
                WHERE id = :id AND status <> 'cancelled'
                """)
                .param("status", status).param("error", error).param("finished", finishedAt == null ? null : utc(finishedAt))
                .param("id", id).update() == 1;
    }

    void cancel(String id, Instant now) {
        jdbc.sql("UPDATE batch SET status = 'cancelled', finished_at = :now WHERE id = :id")
                .param("now", utc(now)).param("id", id).update();
    }

    void setJobExecution(String id, long executionId) {
        jdbc.sql("UPDATE batch SET job_execution_id = :execution WHERE id = :id").param("execution", executionId).param("id", id).update();
    }

    /** Items from {@code fromIndex} on, in order (a page of the results). */
    List<Item> items(String batchId, int fromIndex, int limit) {
        return jdbc.sql("""
                SELECT * FROM batch_item WHERE batch_id = :batch AND item_index >= :from
                ORDER BY item_index FETCH FIRST :limit ROWS ONLY
                """).param("batch", batchId).param("from", fromIndex).param("limit", limit).query(BatchRepository::item).list();
    }

    /** The program items of a batch (for the ingest step). */
    List<Item> programs(String batchId) {
        return jdbc.sql("SELECT * FROM batch_item WHERE batch_id = :batch AND skip_reason IS NULL ORDER BY item_index")
                .param("batch", batchId).query(BatchRepository::item).list();
    }

    int ingested(String batchId) {
        return jdbc.sql("SELECT COUNT(*) FROM batch_item WHERE batch_id = :batch AND eval_id IS NOT NULL")
                .param("batch", batchId).query(Integer.class).single();
    }

    int itemCount(String batchId) {
        return jdbc.sql("SELECT COUNT(*) FROM batch_item WHERE batch_id = :batch").param("batch", batchId)
                .query(Integer.class).single();
    }

    private static Batch batch(ResultSet rs, int row) throws SQLException {
        int timeout = rs.getInt("default_timeout");
        Integer defaultTimeout = rs.wasNull() ? null : timeout;
        long execution = rs.getLong("job_execution_id");
        Long jobExecution = rs.wasNull() ? null : execution;
        return new Batch(rs.getString("id"), rs.getString("name"), rs.getString("kind"), rs.getString("status"),
                rs.getInt("total"), rs.getInt("skipped"), rs.getString("default_language"), defaultTimeout,
                rs.getString("default_memory"), rs.getString("default_cpu"), rs.getInt("priority"),
                rs.getString("archive_file"), instant(rs, "created_at"), instant(rs, "finished_at"), jobExecution,
                rs.getString("error"), dev.crucible.evaluation.Callback.of(rs));
    }

    private static Item item(ResultSet rs, int row) throws SQLException {
        int timeout = rs.getInt("timeout_seconds");
        Integer itemTimeout = rs.wasNull() ? null : timeout;
        return new Item(rs.getString("batch_id"), rs.getInt("item_index"), rs.getString("path"), rs.getString("eval_id"),
                rs.getString("skip_reason"), rs.getString("language"), itemTimeout, rs.getString("stdin"),
                rs.getString("expected_output"), settings(rs.getString("settings")));
    }

    private static ProgramSettings settings(String column) {
        return column == null ? ProgramSettings.NONE : JSON.readValue(column, ProgramSettings.class);
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
