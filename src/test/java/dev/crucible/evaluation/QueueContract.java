package dev.crucible.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

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
 * The queue's contract, which every database it runs on must keep: claim order (priority, then
 * age), lanes, the memory room, fencing of stale claims, release / requeue / abandon, cancel, and
 * concurrent claimers of several rows at once that never get the same row. Each subclass gives a
 * real, empty database.
 */
abstract class QueueContract {

    static final long MIB = 1024 * 1024;

    HikariDataSource dataSource;
    JdbcClient jdbc;
    EvaluationRepository repository;
    QueueDatabase queueDatabase;
    private final AtomicInteger ids = new AtomicInteger();

    abstract TestDatabases.Vendor vendor();

    abstract boolean expectedExclusive();

    @BeforeEach
    void migrate() throws Exception {
        dataSource = TestDatabases.create(vendor(), "queue");
        jdbc = JdbcClient.create(dataSource);
        queueDatabase = JdbcUtils.extractDatabaseMetaData((DataSource) dataSource, QueueDatabases::forMetaData);
        repository = new EvaluationRepository(jdbc, queueDatabase);
    }

    @AfterEach
    void close() {
        TestDatabases.dispose(vendor(), dataSource);
    }

    String submit(int priority, String batchId, long memoryBytes) {
        String id = "e" + String.format("%05d", ids.incrementAndGet());
        repository.insert(new EvaluationRepository.NewEvaluation(id, "python", "print(1)", "", new Limits(30, memoryBytes,
                1_000_000_000L), priority, batchId, Instant.now()));
        return id;
    }

    String submit(int priority) {
        return submit(priority, null, 100 * MIB);
    }

    List<String> claimIds(String worker, Lane lane, int count, long memoryRoom) {
        return repository.claim(worker, Instant.now(), lane, count, memoryRoom).stream().map(Evaluation::id).toList();
    }

    Optional<Evaluation> claim(String worker, Lane lane) {
        List<Evaluation> claimed = repository.claim(worker, Instant.now(), lane, 1, Long.MAX_VALUE);
        assertThat(claimed).hasSizeLessThanOrEqualTo(1);
        return claimed.stream().findFirst();
    }

    String claimedId(String worker, Lane lane) {
        return claim(worker, lane).map(Evaluation::id).orElse(null);
    }

    static final Comparator<Evaluation> QUEUE_ORDER = Comparator.comparingInt(Evaluation::priority).reversed()
            .thenComparingLong(Evaluation::seq);

    static EvaluationResult completed() {
        return new EvaluationResult(EvaluationStatus.COMPLETED, 0, "1\n", "1\n", "", null, false, null, 12L, 10L, 9000L, "img",
                null);
    }

    @Test
    void theDatabaseIsRecognisedFromItsMetaData() {
        assertThat(queueDatabase.name()).isEqualTo(vendor() == TestDatabases.Vendor.H2 ? "H2" : "PostgreSQL");
        assertThat(queueDatabase.exclusive()).isEqualTo(expectedExclusive());
    }

    @Test
    void claimsTakeTheHighestPriorityFirstThenTheOldestUpToTheCountAsked() {
        String low1 = submit(0);
        String high = submit(5);
        String low2 = submit(0);
        String negative = submit(-3);
        String high2 = submit(5);
        assertThat(claimedId("w1", Lane.ANY)).isEqualTo(high);
        List<Evaluation> three = repository.claim("w1", Instant.now(), Lane.ANY, 3, Long.MAX_VALUE);
        assertThat(three).extracting(Evaluation::id).containsExactly(high2, low1, low2);
        assertThat(three).allSatisfy(e -> {
            assertThat(e.status()).isEqualTo(EvaluationStatus.RUNNING);
            assertThat(e.workerId()).isEqualTo("w1");
            assertThat(e.attempts()).isEqualTo(1);
        });
        assertThat(claimIds("w2", Lane.ANY, 5, Long.MAX_VALUE)).containsExactly(negative);
        assertThat(claimIds("w2", Lane.ANY, 5, Long.MAX_VALUE)).isEmpty();
        assertThat(repository.findById(negative).orElseThrow().workerId()).isEqualTo("w2");
    }

    @Test
    void aClaimOfSeveralKeepsToItsLane() {
        String interactive1 = submit(0, null, 100 * MIB);
        String batch1 = submit(0, "batch-1", 100 * MIB);
        String interactive2 = submit(0, null, 100 * MIB);
        String batch2 = submit(1, "batch-1", 100 * MIB);
        assertThat(claimIds("w", Lane.BATCH, 5, Long.MAX_VALUE)).containsExactly(batch2, batch1);
        assertThat(claimIds("w", Lane.BATCH, 5, Long.MAX_VALUE)).isEmpty();
        assertThat(claimIds("w", Lane.INTERACTIVE, 5, Long.MAX_VALUE)).containsExactly(interactive1, interactive2);
    }

    @Test
    void aClaimMarksTheRowRunningForItsWorker() {
        String id = submit(0);
        Evaluation claimed = claim("worker-a", Lane.ANY).orElseThrow();
        assertThat(claimed.id()).isEqualTo(id);
        assertThat(claimed.status()).isEqualTo(EvaluationStatus.RUNNING);
        assertThat(claimed.workerId()).isEqualTo("worker-a");
        assertThat(claimed.attempts()).isEqualTo(1);
        assertThat(claimed.startedAt()).isNotNull();
        assertThat(claimed.heartbeatAt()).isNotNull();
        assertThat(claimed.code()).isEqualTo("print(1)");
    }

    @Test
    void lanesSeparateSingleEvaluationsFromBatches() {
        String interactive = submit(0, null, 100 * MIB);
        String batch = submit(0, "batch-1", 100 * MIB);
        String interactive2 = submit(0, null, 100 * MIB);
        assertThat(claimedId("w", Lane.BATCH)).isEqualTo(batch);
        assertThat(claim("w", Lane.BATCH)).isEmpty();
        assertThat(claimedId("w", Lane.INTERACTIVE)).isEqualTo(interactive);
        assertThat(claimedId("w", Lane.ANY)).isEqualTo(interactive2);
    }

    @Test
    void theNextInLineWaitsForMemoryRoomAndIsNotOvertaken() {
        String big = submit(0, null, 200 * MIB);
        String small = submit(0, null, 50 * MIB);
        assertThat(claimIds("w", Lane.ANY, 1, 100 * MIB)).isEmpty();
        assertThat(repository.statusOf(small)).contains(EvaluationStatus.QUEUED);
        assertThat(claimIds("w", Lane.ANY, 1, 300 * MIB)).containsExactly(big);
        assertThat(claimIds("w", Lane.ANY, 1, 100 * MIB)).containsExactly(small);
    }

    @Test
    void aClaimOfSeveralStopsAtTheFirstThatDoesNotFitTheMemoryRoom() {
        String a = submit(0, null, 100 * MIB);
        String b = submit(0, null, 100 * MIB);
        String big = submit(0, null, 200 * MIB);
        String small = submit(0, null, 50 * MIB);
        assertThat(claimIds("w", Lane.ANY, 4, 300 * MIB)).as("the big one does not fit in the 100 MiB left, and waits")
                .containsExactly(a, b);
        assertThat(repository.statusOf(small)).contains(EvaluationStatus.QUEUED);
        assertThat(claimIds("w", Lane.ANY, 4, 150 * MIB)).isEmpty();
        assertThat(claimIds("w", Lane.ANY, 4, 250 * MIB)).containsExactly(big, small);
    }

    @Test
    void aStaleClaimCannotRecordAResult() {
        submit(0);
        Evaluation claimed = claim("w1", Lane.ANY).orElseThrow();
        assertThat(repository.complete(claimed.id(), "w2", claimed.attempts(), completed(), null, Instant.now())).isFalse();
        assertThat(repository.complete(claimed.id(), "w1", claimed.attempts() + 1, completed(), null, Instant.now())).isFalse();
        assertThat(repository.complete(claimed.id(), "w1", claimed.attempts(), completed(), null, Instant.now())).isTrue();
        assertThat(repository.complete(claimed.id(), "w1", claimed.attempts(), completed(), null, Instant.now())).isFalse();
        Evaluation done = repository.findById(claimed.id()).orElseThrow();
        assertThat(done.status()).isEqualTo(EvaluationStatus.COMPLETED);
        assertThat(done.output()).isEqualTo("1\n");
        assertThat(done.runtimeMs()).isEqualTo(12L);
        assertThat(done.completedAt()).isNotNull();
    }

    @Test
    void aReleasedEvaluationKeepsItsPlaceAndItsAttempts() {
        String first = submit(0);
        submit(0);
        Evaluation claimed = claim("w1", Lane.ANY).orElseThrow();
        assertThat(repository.release(claimed.id(), "other", claimed.attempts())).isFalse();
        assertThat(repository.release(claimed.id(), "w1", claimed.attempts())).isTrue();
        Evaluation again = claim("w2", Lane.ANY).orElseThrow();
        assertThat(again.id()).isEqualTo(first);
        assertThat(again.attempts()).isEqualTo(1);
    }

    @Test
    void aRequeuedEvaluationCountsItsAttemptAndAnAbandonedOneEndsForGood() {
        String id = submit(0);
        Evaluation first = claim("w1", Lane.ANY).orElseThrow();
        assertThat(repository.findAbandoned(Instant.now().plus(Duration.ofSeconds(1)))).extracting(Evaluation::id).contains(id);
        assertThat(repository.findAbandoned(Instant.now().minus(Duration.ofMinutes(1)))).isEmpty();
        assertThat(repository.requeue(first)).isTrue();
        assertThat(repository.requeue(first)).isFalse();
        Evaluation second = claim("w2", Lane.ANY).orElseThrow();
        assertThat(second.attempts()).isEqualTo(2);
        assertThat(repository.endAbandoned(first, EvaluationResult.platform(EvaluationStatus.FAILED, "platform_restart", "gone",
                null), Instant.now())).as("a stale abandon is fenced out").isFalse();
        assertThat(repository.endAbandoned(second, EvaluationResult.platform(EvaluationStatus.FAILED, "platform_restart", "gone",
                null), Instant.now())).isTrue();
        assertThat(repository.statusOf(id)).contains(EvaluationStatus.FAILED);
        assertThat(repository.complete(id, "w2", 2, completed(), null, Instant.now())).isFalse();
    }

    @Test
    void heartbeatsProveOnlyTheWorkersOwnRuns() {
        String id = submit(0);
        claim("w1", Lane.ANY).orElseThrow();
        Instant later = Instant.now().plus(Duration.ofMinutes(5));
        assertThat(repository.heartbeat("w2", List.of(id), later)).isZero();
        assertThat(repository.heartbeat("w1", List.of(id), later)).isEqualTo(1);
        assertThat(repository.findAbandoned(Instant.now().plus(Duration.ofMinutes(1)))).isEmpty();
    }

    @Test
    void queuedWorkIsCancelledAtOnceAndRunningWorkIsFlaggedForItsWorker() {
        String queued = submit(0);
        String running = submit(0);
        assertThat(repository.cancelQueued(queued, Instant.now())).isTrue();
        assertThat(repository.cancelQueued(queued, Instant.now())).isFalse();
        assertThat(claimedId("w1", Lane.ANY)).isEqualTo(running);
        assertThat(repository.cancelQueued(running, Instant.now())).isFalse();
        assertThat(repository.isCancelRequested(running)).isFalse();
        assertThat(repository.requestCancel(running)).isTrue();
        assertThat(repository.isCancelRequested(running)).isTrue();
        assertThat(repository.cancelRequested("w1")).containsExactly(running);
        assertThat(repository.cancelRequested("w2")).isEmpty();
        assertThat(repository.statusOf(queued)).contains(EvaluationStatus.CANCELLED);
    }

    EvaluationRepository.NewEvaluation row(String id) {
        return new EvaluationRepository.NewEvaluation(id, "python", "print(1)", null, new Limits(30, 100 * MIB, 1_000_000_000L),
                0, null, Instant.now());
    }

    @Test
    void theQueueBoundIsKeptByTheInsertItself() {
        assertThat(repository.insertIfRoom(row("b1"), 3)).isTrue();
        assertThat(repository.insertIfRoom(row("b2"), 3)).isTrue();
        assertThat(repository.insertIfRoom(row("b3"), 3)).isTrue();
        assertThat(repository.insertIfRoom(row("b4"), 3)).isFalse();
        assertThat(repository.findById("b4")).isEmpty();
        claim("w", Lane.ANY).orElseThrow();
        assertThat(repository.insertIfRoom(row("b5"), 3)).isTrue();
        assertThat(repository.count(EvaluationStatus.QUEUED)).isEqualTo(3);
    }

    @Test
    void submittersRacingForTheLastPlacesPassTheBoundByLessThanTheirNumber() throws Exception {
        int submitters = 8;
        int bound = 50;
        AtomicInteger accepted = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(submitters);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < submitters; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    for (int i = 0; ; i++) {
                        if (!repository.insertIfRoom(row("r" + thread + "-" + i), bound)) {
                            return null;
                        }
                        accepted.incrementAndGet();
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        long queued = repository.count(EvaluationStatus.QUEUED);
        assertThat(queued).isEqualTo(accepted.get()).isBetween((long) bound, (long) bound + submitters - 1);
    }

    @Test
    void concurrentClaimersOfSeveralRowsNeverGetTheSameRowAndTogetherGetAll() throws Exception {
        int rows = 300;
        Set<String> submitted = new HashSet<>();
        for (int i = 0; i < rows; i++) {
            submitted.add(submit(i % 3, i % 2 == 0 ? null : "batch", 100 * MIB));
        }
        int claimers = 8;
        List<String> claimed = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(claimers);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < claimers; w++) {
                String worker = "worker-" + w;
                Lane lane = Lane.values()[w % 3];
                done.add(pool.submit(() -> {
                    while (true) {
                        List<Evaluation> batch = repository.claim(worker, Instant.now(), lane, 4, Long.MAX_VALUE);
                        assertThat(batch).hasSizeLessThanOrEqualTo(4).isSortedAccordingTo(QUEUE_ORDER)
                                .allMatch(e -> lane != Lane.INTERACTIVE || e.batchId() == null)
                                .allMatch(e -> lane != Lane.BATCH || e.batchId() != null);
                        if (batch.isEmpty()) {
                            batch = repository.claim(worker, Instant.now(), Lane.ANY, 4, Long.MAX_VALUE);
                        }
                        if (batch.isEmpty()) {
                            return null;
                        }
                        assertThat(batch).allMatch(e -> e.workerId().equals(worker));
                        batch.forEach(e -> claimed.add(e.id()));
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(claimed).hasSize(rows).doesNotHaveDuplicates();
        assertThat(new HashSet<>(claimed)).isEqualTo(submitted);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM evaluation WHERE attempts <> 1 OR status <> 'running'").query(Long.class).single())
                .isZero();
    }
}
