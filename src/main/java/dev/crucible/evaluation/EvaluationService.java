package dev.crucible.evaluation;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.crucible.storage.StorageFullException;
import dev.crucible.storage.StorageSpace;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;

/** Submitting, cancelling and reading evaluations: what users (API, web, batch) do with them. */
@Service
public class EvaluationService {

    private static final Logger log = LoggerFactory.getLogger(EvaluationService.class);

    /** What happened to a cancel request. */
    public record CancelOutcome(Evaluation evaluation, boolean alreadyEnded) {
    }

    private final EvaluationRepository repository;
    private final SubmissionValidator validator;
    private final QueueProperties queue;
    private final ApplicationEventPublisher events;
    private final Clock clock;
    private final StorageSpace storage;
    private final Object submitLock = new Object();

    /** Who submits: the API key whose secret signs the callbacks. */
    private final Submitters submitters;

    public EvaluationService(EvaluationRepository repository, SubmissionValidator validator, QueueProperties queue,
            ApplicationEventPublisher events, Clock clock, StorageSpace storage, Submitters submitters) {
        this.submitters = submitters;
        this.storage = storage;
        this.repository = repository;
        this.validator = validator;
        this.queue = queue;
        this.events = events;
        this.clock = clock;
    }

    /** A freshly queued evaluation and its place in the queue at that moment. */
    public record Queued(Evaluation evaluation, long queuePosition) {
    }

    /**
     * Validates and queues an evaluation.
     *
     * @throws InvalidSubmissionException  a field breaks a rule (nothing is stored)
     * @throws SubmissionTooLargeException the code or stdin is too large (nothing is stored)
     * @throws QueueFullException          the queue is at its bound (nothing is stored)
     * @throws StorageFullException        the storage folder is (nearly) full (nothing is stored)
     */
    public Queued submit(Submission submission) {
        SubmissionValidator.Valid valid = validator.validate(submission);
        storage.requireRoom();
        String id;
        // The bound is checked in the insert itself, so processes sharing the database keep it too;
        // the lock makes it exact among this process's own submissions (see insertIfRoom).
        synchronized (submitLock) {
            id = insertWithFreshId(valid, row -> repository.insertIfRoom(row, queue.maxSize()));
            if (id == null) {
                throw new QueueFullException(queue.maxSize());
            }
        }
        Evaluation queued = repository.findById(id).orElseThrow();
        long position = repository.queuePosition(queued);
        events.publishEvent(new EvaluationEvents.Submitted(id));
        return new Queued(queued, position);
    }

    /**
     * Queues the programs of a batch in the caller's transaction (a chunk of an ingest step, so a
     * restart after a crash never queues them twice) and returns their ids in order. The dispatcher
     * is woken once the transaction has committed. The queue bound is checked when the batch is
     * accepted, not here.
     *
     * @throws InvalidSubmissionException a program breaks a rule (the chunk rolls back)
     */
    public List<String> queueForBatch(List<Submission> submissions) {
        List<String> ids = new java.util.ArrayList<>(submissions.size());
        for (Submission submission : submissions) {
            // the bound was checked when the batch was accepted
            ids.add(insertWithFreshId(validator.validate(submission), row -> {
                repository.insert(row);
                return true;
            }));
        }
        Runnable wake = () -> events.publishEvent(new EvaluationEvents.Submitted(ids.isEmpty() ? null : ids.get(0)));
        if (org.springframework.transaction.support.TransactionSynchronizationManager.isSynchronizationActive()) {
            org.springframework.transaction.support.TransactionSynchronizationManager.registerSynchronization(
                    new org.springframework.transaction.support.TransactionSynchronization() {
                        @Override
                        public void afterCommit() {
                            wake.run();
                        }
                    });
        } else {
            wake.run();
        }
        return ids;
    }

    /** Validates without queueing (a batch checks its defaults before it is accepted). */
    public SubmissionValidator.Valid check(Submission submission) {
        return validator.validate(submission);
    }

    /** @throws StorageFullException when the storage folder has no room for new work */
    public void requireStorageRoom() {
        storage.requireRoom();
    }

    /** Retention: deletes up to {@code limit} ended evaluations older than {@code cutoff} outside batches. */
    public int deleteEndedBefore(Instant cutoff, int limit) {
        return repository.deleteEndedBefore(cutoff, limit);
    }

    /** Retention: deletes up to {@code limit} ended evaluations of a batch being deleted. */
    public int deleteEndedOfBatch(String batchId, int limit) {
        return repository.deleteEndedOfBatch(batchId, limit);
    }

    /** Evaluations of a batch that remain (any status). */
    public long countOfBatch(String batchId) {
        return repository.countByStatus(batchId).values().stream().mapToLong(Long::longValue).sum();
    }

    public Optional<Instant> oldestCreatedAt() {
        return repository.oldestCreatedAt();
    }

    /** Room left in the queue before its bound. */
    public long queueRoom() {
        return queue.maxSize() - repository.count(EvaluationStatus.QUEUED);
    }

    /** Cancels a batch's queued evaluations at once and asks the workers of its running ones to stop them. */
    public void cancelBatch(String batchId) {
        int cancelled = repository.cancelQueuedOfBatch(batchId, clock.instant());
        log.info("Batch {}: {} queued evaluations cancelled", batchId, cancelled);
        for (String id : repository.requestCancelOfBatch(batchId)) {
            events.publishEvent(new EvaluationEvents.CancelRequested(id));
        }
    }

    public Map<EvaluationStatus, Long> countByStatus(String batchId) {
        return repository.countByStatus(batchId);
    }

    /** Inserts under a fresh id; null when {@code insert} declined the row (the queue is full). */
    private String insertWithFreshId(SubmissionValidator.Valid valid,
            java.util.function.Predicate<EvaluationRepository.NewEvaluation> insert) {
        for (int attempt = 0; ; attempt++) {
            Instant now = clock.instant();
            String id = EvaluationIds.next(now);
            try {
                EvaluationRepository.NewEvaluation row = new EvaluationRepository.NewEvaluation(id, valid.language().name(),
                        valid.code(), valid.stdin(), valid.limits(), valid.priority(), valid.batchId(), now, valid.args(),
                        valid.expectation(), valid.files(), valid.compileTimeoutSeconds(), valid.testCases(),
                        valid.callbackUrl(), submitters.currentKeyId());
                return insert.test(row) ? id : null;
            } catch (DuplicateKeyException e) {
                if (attempt >= 5) {
                    throw e;
                }
                log.debug("Evaluation id {} already taken; drawing another", id);
            }
        }
    }

    /** The files the evaluation's program wrote under /out, and the notes on those left out. */
    public Artifacts artifacts(String id) {
        repository.statusOf(id).orElseThrow(() -> new EvaluationNotFoundException(id));
        return new Artifacts(repository.artifacts(id), repository.artifactNotes(id));
    }

    public record Artifacts(List<Artifact.Info> files, List<String> notes) {
    }

    public Artifact artifact(String id, String name) {
        repository.statusOf(id).orElseThrow(() -> new EvaluationNotFoundException(id));
        return repository.artifact(id, name).orElseThrow(() -> new ArtifactNotFoundException(id, name));
    }

    public Evaluation get(String id) {
        return find(id).orElseThrow(() -> new EvaluationNotFoundException(id));
    }

    public Optional<Evaluation> find(String id) {
        if (!EvaluationIds.isWellFormed(id)) {
            return Optional.empty();
        }
        return repository.findById(id);
    }

    /** Position in the queue (1 = next), or null when the evaluation is not queued. */
    public Long queuePosition(Evaluation e) {
        return e.status() == EvaluationStatus.QUEUED ? repository.queuePosition(e) : null;
    }

    /**
     * Cancels a queued evaluation at once; asks the worker of a running one to kill its container.
     * An evaluation that has already ended is left as it is.
     */
    public CancelOutcome cancel(String id) {
        Evaluation current = get(id);
        if (current.status().isTerminal()) {
            return new CancelOutcome(current, true);
        }
        // Between the two updates the evaluation may move (queued -> running, or back to the
        // queue after a lost Docker connection); try again until one of them takes.
        for (int tries = 0; tries < 5; tries++) {
            if (repository.cancelQueued(id, clock.instant())) {
                events.publishEvent(new EvaluationEvents.Ended(id, EvaluationStatus.CANCELLED, current.language(), "cancelled", null));
                break;
            }
            if (repository.requestCancel(id)) {
                events.publishEvent(new EvaluationEvents.CancelRequested(id));
                break;
            }
            if (get(id).status().isTerminal()) {
                break;
            }
        }
        return new CancelOutcome(get(id), false);
    }

    public List<EvaluationSummary> list(EvaluationStatus status, int limit, long offset) {
        return repository.list(status, limit, offset);
    }

    public long count(EvaluationStatus status) {
        return repository.count(status);
    }
}
