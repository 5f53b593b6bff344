package dev.crucible.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import dev.crucible.support.Api;
import dev.crucible.support.TempStorageInitializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ContextConfiguration;

/**
 * Dispatch against a fake execution backend (the seam, {@code ExecutionBackend}): the whole
 * platform with its real queue on H2, but no container, so each case takes milliseconds. Docker
 * is pointed nowhere.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"crucible.docker.host=unix:///nonexistent/docker.sock", "crucible.worker.concurrency=2",
                "crucible.dispatch.poll-interval=200ms", "crucible.dispatch.shutdown-grace=200ms"})
@ContextConfiguration(initializers = TempStorageInitializer.class)
@Import(DispatcherTest.Fake.class)
class DispatcherTest {

    @TestConfiguration
    static class Fake {
        @Bean
        @Primary
        FakeBackend fakeBackend() {
            return new FakeBackend();
        }

        @Bean
        @Primary
        FlakyQueue flakyQueue(dev.crucible.evaluation.EvaluationRepository repository,
                org.springframework.context.ApplicationEventPublisher events, java.time.Clock clock) {
            return new FlakyQueue(repository, events, clock);
        }
    }

    /**
     * The real queue, whose next record can be made to fail as PostgreSQL's stop made it fail in
     * ScaleOutIT: the UPDATE broke on the dead socket, then the rollback on the closed connection,
     * and Spring threw the rollback's failure.
     */
    static class FlakyQueue extends dev.crucible.evaluation.EvaluationQueue {
        final java.util.concurrent.atomic.AtomicInteger failRecords = new java.util.concurrent.atomic.AtomicInteger();

        FlakyQueue(dev.crucible.evaluation.EvaluationRepository repository,
                org.springframework.context.ApplicationEventPublisher events, java.time.Clock clock) {
            super(repository, events, clock);
        }

        @Override
        public boolean record(dev.crucible.evaluation.Evaluation claimed, dev.crucible.evaluation.EvaluationResult result) {
            if (failRecords.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                var rollback = new org.springframework.transaction.TransactionSystemException("JDBC rollback failed",
                        new java.sql.SQLException("Connection is closed", "08003"));
                rollback.initApplicationException(new org.springframework.dao.DataAccessResourceFailureException(
                        "An I/O error occurred while sending to the backend"));
                throw rollback;
            }
            return super.record(claimed, result);
        }
    }

    @Autowired
    FlakyQueue queue;

    @LocalServerPort
    int port;

    @Autowired
    FakeBackend backend;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    Dispatcher dispatcher;

    Api api;

    @BeforeEach
    void connect() {
        backend.reset();
        queue.failRecords.set(0);
        api = new Api("http://localhost:" + port);
    }

    String submit(String code) {
        Api.Response r = api.post("/api/eval", "{\"code\": \"" + code + "\"}");
        assertThat(r.status()).as(r.toString()).isEqualTo(202);
        return r.text("eval_id");
    }

    String status(String id) {
        return api.get("/api/eval/" + id).text("status");
    }

    String awaitStatus(String id, String status) {
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).until(() -> status.equals(status(id)));
        return id;
    }

    @Test
    void aRunIsPreparedExecutedClosedAndRecordedOnce() {
        String id = awaitStatus(submit("hello"), "completed");
        assertThat(api.get("/api/eval/" + id).text("output")).isEqualTo("hello\n");
        assertThat(api.get("/api/eval/" + id).text("image_digest")).isEqualTo("sha256:fake");
        assertThat(backend.prepared).containsExactly(id + "#1");
        await().atMost(Duration.ofSeconds(5)).until(() -> backend.closed.get() == 1);
    }

    @Test
    void aResultWhoseRecordBrokeWithTheConnectionIsKeptAndRecordedWhenTheDatabaseAnswers() {
        queue.failRecords.set(2);
        String id = awaitStatus(submit("kept"), "completed");
        assertThat(api.get("/api/eval/" + id).text("output")).isEqualTo("kept\n");
        assertThat(api.get("/api/eval/" + id).json().get("failure_reason").isNull()).isTrue();
        assertThat(queue.failRecords.get()).isZero();
        assertThat(backend.prepared).containsExactly(id + "#1");
    }

    @Test
    void anInterruptThatIsNotAStopDoesNotEndTheDispatcher() {
        Thread loop = Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals("dispatcher"))
                .findFirst().orElseThrow();
        loop.interrupt();
        String id = awaitStatus(submit("after an interrupt"), "completed");
        assertThat(api.get("/api/eval/" + id).text("output")).isEqualTo("after an interrupt\n");
        assertThat(loop.isAlive()).isTrue();
    }

    @Test
    void aCancelDuringTheRunReachesTheBackendAndTheRunIsClosed() throws Exception {
        String id = submit("block");
        assertThat(backend.blocking.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(api.post("/api/eval/" + id + "/cancel", "").status()).isEqualTo(200);
        awaitStatus(id, "cancelled");
        assertThat(backend.cancelled).contains(id);
        await().atMost(Duration.ofSeconds(5)).until(() -> backend.closed.get() == 1);
    }

    @Test
    void whileTheBackendIsDownNothingIsClaimedAndItsReturnWakesTheDispatcher() throws Exception {
        backend.setAvailable(false);
        String id = submit("waits");
        Thread.sleep(600);
        assertThat(status(id)).isEqualTo("queued");
        assertThat(backend.prepared).isEmpty();
        // a cancel while it waits ends it without the backend
        String cancelled = submit("never runs");
        assertThat(api.post("/api/eval/" + cancelled + "/cancel", "").status()).isEqualTo(200);
        awaitStatus(cancelled, "cancelled");

        backend.setAvailable(true);
        awaitStatus(id, "completed");
        assertThat(backend.prepared).containsExactly(id + "#1");
    }

    @Test
    void aBackendThatRefusesToPrepareGivesTheEvaluationBackWithoutCountingAnAttempt() {
        String id = awaitStatus(submit("no backend"), "completed");
        assertThat(api.get("/api/eval/" + id).json().get("attempts").asInt()).isEqualTo(1);
        assertThat(backend.prepared).containsExactly(id + "#1");
    }

    @Test
    void aBackendLostDuringTheRunRunsTheEvaluationAgain() {
        String id = awaitStatus(submit("lost backend"), "completed");
        assertThat(api.get("/api/eval/" + id).json().get("attempts").asInt()).isEqualTo(2);
        assertThat(backend.prepared).containsExactly(id + "#1", id + "#2");
        await().atMost(Duration.ofSeconds(5)).until(() -> backend.closed.get() == 2);
    }

    @Test
    @DirtiesContext(methodMode = DirtiesContext.MethodMode.AFTER_METHOD)
    void aRunStoppedForShutdownGoesBackToTheQueueWithoutCountingAnAttempt() throws Exception {
        String id = submit("block");
        assertThat(backend.blocking.await(10, TimeUnit.SECONDS)).isTrue();
        dispatcher.stop();
        assertThat(backend.cancelled).contains(id);
        assertThat(status(id)).isEqualTo("queued");
        assertThat(api.get("/api/eval/" + id).json().get("attempts").asInt()).isZero();
        assertThat(backend.closed.get()).isEqualTo(1);
    }

    @Test
    void theResultOfALostClaimIsDropped() throws Exception {
        String id = submit("block");
        assertThat(backend.blocking.await(10, TimeUnit.SECONDS)).isTrue();
        // another worker took it over meanwhile (this one was presumed dead)
        jdbc.sql("UPDATE evaluation SET worker_id = 'someone-else' WHERE id = :id").param("id", id).update();
        backend.release();
        await().atMost(Duration.ofSeconds(5)).until(() -> backend.closed.get() == 1);
        assertThat(status(id)).isEqualTo("running");
        assertThat(jdbc.sql("SELECT worker_id FROM evaluation WHERE id = :id").param("id", id).query(String.class).single())
                .isEqualTo("someone-else");
        jdbc.sql("DELETE FROM evaluation WHERE id = :id").param("id", id).update();
    }
}
