package dev.crucible.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import dev.crucible.evaluation.QueueDatabase.Lane;
import dev.crucible.support.TestDatabases;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.JdbcUtils;

/**
 * Throughput per minute over the last hour, which every database must bucket alike: whole clock
 * minutes, the current one last, by worker, what ended without a worker in the installation only.
 * Evaluations are ended the real way (submitted, claimed, completed or cancelled) at chosen times.
 */
abstract class ThroughputContract {

    static final Instant NOW = Instant.parse("2026-03-01T10:30:20Z");

    HikariDataSource dataSource;
    EvaluationRepository repository;
    EvaluationHistory history;
    private int ids;

    abstract TestDatabases.Vendor vendor();

    @BeforeEach
    void migrate() throws Exception {
        dataSource = TestDatabases.create(vendor(), "throughput");
        JdbcClient jdbc = JdbcClient.create(dataSource);
        repository = new EvaluationRepository(jdbc,
                JdbcUtils.extractDatabaseMetaData((DataSource) dataSource, QueueDatabases::forMetaData));
        history = new EvaluationHistory(jdbc);
    }

    @AfterEach
    void close() {
        TestDatabases.dispose(vendor(), dataSource);
    }

    String submit(Instant at) {
        String id = "t" + ++ids;
        repository.insert(new EvaluationRepository.NewEvaluation(id, "python", "print(1)", "", new Limits(30, 64L << 20,
                1_000_000_000L), 0, null, at));
        return id;
    }

    void endOn(String worker, String completedAt) {
        Instant end = Instant.parse(completedAt);
        String id = submit(end.minusSeconds(5));
        Evaluation claimed = repository.claim(worker, end.minusSeconds(1), Lane.ANY, 1, Long.MAX_VALUE).get(0);
        assertThat(claimed.id()).isEqualTo(id);
        assertThat(repository.complete(id, worker, claimed.attempts(), QueueContract.completed(), null, end)).isTrue();
    }

    @Test
    void endsAreCountedInTheirClockMinuteTheCurrentOneLast() {
        endOn("w1", "2026-03-01T10:30:05Z");
        endOn("w1", "2026-03-01T10:30:19.999Z");
        endOn("w1", "2026-03-01T10:29:59.999Z");
        endOn("w2", "2026-03-01T10:29:00Z");
        endOn("w2", "2026-03-01T09:31:00Z");
        // before the first of the 60 minutes: out of the chart
        endOn("w2", "2026-03-01T09:30:59.999Z");
        endOn("w3", "2026-03-01T08:00:00Z");

        Throughput throughput = history.throughput(NOW);

        assertThat(throughput.firstMinute()).isEqualTo(Instant.parse("2026-03-01T09:31:00Z"));
        long[] w1 = new long[60];
        w1[59] = 2;
        w1[58] = 1;
        long[] w2 = new long[60];
        w2[58] = 1;
        w2[0] = 1;
        assertThat(throughput.ofWorker("w1")).containsExactly(w1);
        assertThat(throughput.ofWorker("w2")).containsExactly(w2);
        assertThat(throughput.ofWorker("w3")).containsOnly(0L);
        assertThat(throughput.byWorker()).containsOnlyKeys("w1", "w2");
        long[] installation = new long[60];
        installation[59] = 2;
        installation[58] = 2;
        installation[0] = 1;
        assertThat(throughput.installation()).containsExactly(installation);
    }

    @Test
    void whatEndedWithoutAWorkerCountsForTheInstallationOnly() {
        String queued = submit(Instant.parse("2026-03-01T10:00:00Z"));
        assertThat(repository.cancelQueued(queued, Instant.parse("2026-03-01T10:00:30Z"))).isTrue();
        endOn("w1", "2026-03-01T10:00:45Z");

        Throughput throughput = history.throughput(NOW);

        assertThat(throughput.installation()[29]).isEqualTo(2);
        assertThat(throughput.ofWorker("w1")[29]).isEqualTo(1);
        assertThat(throughput.byWorker()).containsOnlyKeys("w1");
    }

    @Test
    void anEndStampedAheadOfThisClockCountsInTheCurrentMinute() {
        endOn("w1", "2026-03-01T10:31:10Z");

        assertThat(history.throughput(NOW).ofWorker("w1")[59]).isEqualTo(1);
    }

    @Test
    void nothingEndedIsSixtyZeros() {
        Throughput throughput = history.throughput(NOW);

        assertThat(throughput.installation()).hasSize(60).containsOnly(0L);
        assertThat(throughput.byWorker()).isEmpty();
    }
}
