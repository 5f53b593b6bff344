package dev.crucible.evaluation;

import java.time.Clock;
import java.util.List;
import java.util.Optional;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

/**
 * The evaluation table as the dispatcher sees it: claim work, prove that it is alive, record how
 * runs ended, hand back what it could not run, and recover what dead workers left behind. Every
 * end is announced, so waiting clients learn of it at once.
 */
@Component
public class EvaluationQueue {

    private final EvaluationRepository repository;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    public EvaluationQueue(EvaluationRepository repository, ApplicationEventPublisher events, Clock clock) {
        this.repository = repository;
        this.events = events;
        this.clock = clock;
    }

    /**
     * Claims up to {@code count} of the next queued evaluations of {@code lane}, in queue order,
     * whose memory limits add up to at most {@code memoryRoom} bytes (the first that does not fit
     * ends the claim).
     */
    public List<Evaluation> claim(String workerId, QueueDatabase.Lane lane, int count, long memoryRoom) {
        return repository.claim(workerId, clock.instant(), lane, count, memoryRoom);
    }

    public boolean record(Evaluation claimed, EvaluationResult result) {
        boolean recorded = repository.complete(claimed.id(), claimed.workerId(), claimed.attempts(), result,
                claimed.verdictFor(result), clock.instant());
        if (recorded) {
            events.publishEvent(new EvaluationEvents.Ended(claimed.id(), result.status(), claimed.language(),
                    result.failureReason(), result.runtimeMs()));
        }
        return recorded;
    }

    /** Gives back an evaluation whose program did not start: it keeps its place and its attempts. */
    public boolean release(Evaluation claimed) {
        return repository.release(claimed.id(), claimed.workerId(), claimed.attempts());
    }

    /** Puts an evaluation whose run was cut off back in the queue; the attempt counts. */
    public boolean requeue(Evaluation claimed) {
        return repository.requeue(claimed);
    }

    public int heartbeat(String workerId, java.util.Collection<String> evalIds) {
        return repository.heartbeat(workerId, evalIds, clock.instant());
    }

    public List<String> cancelRequested(String workerId) {
        return repository.cancelRequested(workerId);
    }

    public boolean isCancelRequested(String id) {
        return repository.isCancelRequested(id);
    }

    /** Running evaluations whose worker has been silent for {@code silentFor} (this worker's too). */
    public List<Evaluation> findAbandoned(java.time.Duration silentFor) {
        return repository.findAbandoned(clock.instant().minus(silentFor));
    }

    public boolean endAbandoned(Evaluation e, EvaluationResult result) {
        boolean ended = repository.endAbandoned(e, result, clock.instant());
        if (ended) {
            events.publishEvent(new EvaluationEvents.Ended(e.id(), result.status(), e.language(), result.failureReason(),
                    null));
        }
        return ended;
    }

    public Optional<EvaluationStatus> statusOf(String id) {
        return repository.statusOf(id);
    }

    public Optional<Evaluation> find(String id) {
        return repository.findById(id);
    }

    /** Whether this process is the only one using the database: then start-up recovery need not wait. */
    public boolean databaseIsExclusive() {
        return repository.databaseIsExclusive();
    }

    public boolean hasQueued() {
        return repository.count(EvaluationStatus.QUEUED) > 0;
    }
}
