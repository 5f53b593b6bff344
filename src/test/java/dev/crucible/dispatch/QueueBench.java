package dev.crucible.dispatch;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import dev.crucible.evaluation.Evaluation;
import dev.crucible.evaluation.EvaluationQueue;
import dev.crucible.evaluation.EvaluationRepository;
import dev.crucible.evaluation.EvaluationResult;
import dev.crucible.evaluation.EvaluationStatus;
import dev.crucible.evaluation.Limits;
import dev.crucible.evaluation.NodeSignals;
import dev.crucible.evaluation.QueueDatabase;
import dev.crucible.evaluation.QueueDatabases;
import dev.crucible.support.TestDatabases;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.JdbcUtils;

/**
 * The queue alone, with a no-op executor in place of Docker (bench/queue.sh runs it; not a test).
 * Each "worker" is a thread with a worker id and its own connections, doing what the dispatcher
 * does with the real classes: claim up to its free slots in one call ({@link EvaluationQueue#claim}),
 * and for the cycle figure record a no-op result for each. On H2 one worker only: the embedded
 * database belongs to one process.
 *
 * <ul>
 * <li>claims/s: a backlog of queued rows, claimed {@code slots} at a time, nothing recorded;</li>
 * <li>cycles/s: the same, each claimed row also recorded as completed (two statements per row);</li>
 * <li>submit-to-claim latency: one submission every 50 ms for {@code seconds}, workers idle between
 * them, waking on the poll ({@code crucible.dispatch.poll-interval}, 1 s) or on a signal: in
 * process on H2 (the monolith's event), LISTEN/NOTIFY on PostgreSQL, or none (poll only).</li>
 * </ul>
 */
public final class QueueBench {

    static final int SLOTS = 8;
    static final Duration POLL = Duration.ofSeconds(1);
    static final EvaluationResult NO_OP = new EvaluationResult(EvaluationStatus.COMPLETED, 0, "", "", "", null, false, null,
            0L, 0L, 0L, "no-op", null);

    record Queue(TestDatabases.Vendor vendor, HikariDataSource dataSource, QueueDatabase database, EvaluationRepository repository,
            EvaluationQueue queue) implements AutoCloseable {

        static Queue create(TestDatabases.Vendor vendor) throws Exception {
            HikariDataSource dataSource = TestDatabases.create(vendor, "bench");
            dataSource.setMaximumPoolSize(16);
            QueueDatabase database = JdbcUtils.extractDatabaseMetaData((DataSource) dataSource, QueueDatabases::forMetaData);
            EvaluationRepository repository = new EvaluationRepository(JdbcClient.create(dataSource), database);
            return new Queue(vendor, dataSource, database, repository,
                    new EvaluationQueue(repository, event -> { }, java.time.Clock.systemUTC()));
        }

        String submit(int n) {
            String id = String.format("b%09d", n);
            repository.insert(new EvaluationRepository.NewEvaluation(id, "python", "print(1)", "", new Limits(30, 100L << 20,
                    1_000_000_000L), 0, null, Instant.now()));
            return id;
        }

        @Override
        public void close() {
            TestDatabases.dispose(vendor, dataSource);
        }
    }

    public static void main(String[] args) throws Exception {
        int backlog = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        System.out.printf("queue alone, no-op executor (no Docker): %d queued rows, claims of up to %d rows%n", backlog, SLOTS);
        System.out.printf("  %-24s %8s %12s %12s%n", "database", "workers", "claims/s", "cycles/s");
        for (TestDatabases.Vendor vendor : TestDatabases.Vendor.values()) {
            for (int workers : vendor == TestDatabases.Vendor.H2 ? new int[] {1} : new int[] {1, 2, 4}) {
                double claims = throughput(vendor, workers, backlog, false);
                double cycles = throughput(vendor, workers, backlog / 2, true);
                System.out.printf("  %-24s %8d %12.0f %12.0f%n", label(vendor), workers, claims, cycles);
            }
        }
        System.out.printf("submit-to-claim latency: a submission every 50 ms for %d s, 2 idle workers, poll %d ms (ms)%n",
                seconds, POLL.toMillis());
        latency(TestDatabases.Vendor.H2, "H2, in-process wake", 1, seconds, true);
        latency(TestDatabases.Vendor.POSTGRESQL, "PostgreSQL, poll only", 2, seconds, false);
        latency(TestDatabases.Vendor.POSTGRESQL, "PostgreSQL, LISTEN/NOTIFY", 2, seconds, true);
    }

    static String label(TestDatabases.Vendor vendor) {
        return vendor == TestDatabases.Vendor.H2 ? "H2 (embedded, 1 process)" : "PostgreSQL";
    }

    /** Rows per second through {@code workers} claimers until the backlog is empty. */
    static double throughput(TestDatabases.Vendor vendor, int workers, int backlog, boolean record) throws Exception {
        try (Queue q = Queue.create(vendor)) {
            fill(q, backlog);
            AtomicLong done = new AtomicLong();
            CountDownLatch go = new CountDownLatch(1);
            List<Thread> threads = new ArrayList<>();
            for (int w = 0; w < workers; w++) {
                String worker = "bench-" + w;
                threads.add(started(() -> {
                    await(go);
                    while (true) {
                        List<Evaluation> claimed = q.queue().claim(worker, QueueDatabase.Lane.ANY, SLOTS, Long.MAX_VALUE);
                        if (claimed.isEmpty()) {
                            return;
                        }
                        if (record) {
                            claimed.forEach(e -> q.queue().record(e, NO_OP));
                        }
                        done.addAndGet(claimed.size());
                    }
                }));
            }
            long start = System.nanoTime();
            go.countDown();
            for (Thread t : threads) {
                t.join();
            }
            double elapsed = (System.nanoTime() - start) / 1e9;
            if (done.get() != backlog) {
                throw new IllegalStateException("claimed " + done.get() + " of " + backlog);
            }
            return done.get() / elapsed;
        }
    }

    /** Inserts the backlog with several threads (not measured). */
    static void fill(Queue q, int backlog) throws InterruptedException {
        AtomicInteger next = new AtomicInteger();
        List<Thread> fillers = new ArrayList<>();
        for (int f = 0; f < 8; f++) {
            fillers.add(started(() -> {
                for (int n = next.getAndIncrement(); n < backlog; n = next.getAndIncrement()) {
                    q.submit(n);
                }
            }));
        }
        for (Thread t : fillers) {
            t.join();
        }
    }

    /** Submission to claim, as the database records both (created_at, started_at). */
    static void latency(TestDatabases.Vendor vendor, String label, int workers, int seconds, boolean wake) throws Exception {
        try (Queue q = Queue.create(vendor)) {
            AtomicBoolean running = new AtomicBoolean(true);
            List<Signal> wakes = Collections.synchronizedList(new ArrayList<>());
            List<NodeSignals> listeners = new ArrayList<>();
            List<Thread> threads = new ArrayList<>();
            for (int w = 0; w < workers; w++) {
                Signal signal = new Signal();
                wakes.add(signal);
                if (wake && vendor == TestDatabases.Vendor.POSTGRESQL) {
                    // each worker process has a listening connection of its own
                    NodeSignals listening = q.database().signals(q.dataSource());
                    listening.listen(new NodeSignals.Listener() {
                        @Override
                        public void received(String message) {
                            signal.raise();
                        }

                        @Override
                        public void reconnected() {
                            signal.raise();
                        }
                    });
                    listeners.add(listening);
                }
                String worker = "bench-" + w;
                threads.add(started(() -> {
                    while (running.get()) {
                        List<Evaluation> claimed = q.queue().claim(worker, QueueDatabase.Lane.ANY, SLOTS, Long.MAX_VALUE);
                        claimed.forEach(e -> q.queue().record(e, NO_OP));
                        if (claimed.isEmpty()) {
                            try {
                                signal.await(POLL);
                            } catch (InterruptedException e) {
                                return;
                            }
                        }
                    }
                }));
            }
            Thread.sleep(1500); // listeners connected, workers idle
            try (NodeSignals sender = q.database().signals(q.dataSource())) {
                long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
                for (int n = 0; System.nanoTime() < end; n++) {
                    String id = q.submit(n);
                    if (wake) {
                        if (vendor == TestDatabases.Vendor.POSTGRESQL) {
                            sender.send("queued bench " + id);
                        } else {
                            wakes.forEach(Signal::raise);
                        }
                    }
                    Thread.sleep(50);
                }
            }
            Thread.sleep(POLL.toMillis() + 500);
            running.set(false);
            wakes.forEach(Signal::raise);
            for (Thread t : threads) {
                t.join();
            }
            listeners.forEach(NodeSignals::close);
            List<Double> ms = JdbcClient.create(q.dataSource()).sql("SELECT created_at, started_at FROM evaluation")
                    .query((rs, i) -> Duration.between(rs.getObject(1, java.time.OffsetDateTime.class),
                            rs.getObject(2, java.time.OffsetDateTime.class)).toNanos() / 1e6)
                    .list().stream().sorted().toList();
            System.out.printf("  %-28s p50 %7.1f   p95 %7.1f   max %7.1f   (%d submissions)%n", label, percentile(ms, 50),
                    percentile(ms, 95), ms.get(ms.size() - 1), ms.size());
        }
    }

    static double percentile(List<Double> sorted, int p) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }

    private static Thread started(Runnable body) {
        Thread thread = new Thread(body);
        thread.start();
        return thread;
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private QueueBench() {
    }
}
