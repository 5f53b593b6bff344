package dev.crucible.evaluation;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.context.event.EventListener;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Lets callers wait for evaluations to end (for {@code ?wait=true}) without holding a thread:
 * ends announced in this process, or signalled by the other processes sharing the database
 * ({@link SignalRelay}), complete the waits at once, and a look at the database every
 * {@code crucible.dispatch.poll-interval} (one query for all waited-for evaluations) catches any
 * end whose signal was lost.
 * A caller that stops waiting says so, and its evaluation is no longer looked at for it.
 */
@Component
public class EvaluationWaiters {

    private static final int IDS_PER_QUERY = 500;

    private final EvaluationRepository repository;
    private final Map<String, Set<CompletableFuture<EvaluationStatus>>> waiting = new ConcurrentHashMap<>();

    public EvaluationWaiters(EvaluationRepository repository) {
        this.repository = repository;
    }

    /** Completes when the evaluation has ended (at once if it already has). */
    public CompletableFuture<EvaluationStatus> whenEnded(String id) {
        CompletableFuture<EvaluationStatus> future = new CompletableFuture<>();
        waiting.computeIfAbsent(id, k -> ConcurrentHashMap.newKeySet()).add(future);
        repository.statusOf(id).filter(EvaluationStatus::isTerminal).ifPresent(s -> complete(id, s));
        return future;
    }

    /** The caller of {@link #whenEnded} gave up waiting. */
    public void stopWaiting(String id, CompletableFuture<EvaluationStatus> future) {
        waiting.computeIfPresent(id, (k, futures) -> {
            futures.remove(future);
            return futures.isEmpty() ? null : futures;
        });
    }

    @EventListener
    void onEnded(EvaluationEvents.Ended ended) {
        complete(ended.evalId(), ended.status());
    }

    @EventListener
    void onEndedElsewhere(EvaluationEvents.EndedElsewhere ended) {
        complete(ended.evalId(), ended.status());
    }

    @Scheduled(fixedDelayString = "${crucible.dispatch.poll-interval:1s}")
    void pollEndedElsewhere() {
        List<String> ids = new ArrayList<>(waiting.keySet());
        for (int from = 0; from < ids.size(); from += IDS_PER_QUERY) {
            List<String> chunk = ids.subList(from, Math.min(ids.size(), from + IDS_PER_QUERY));
            repository.endedAmong(chunk).forEach(this::complete);
        }
    }

    private void complete(String id, EvaluationStatus status) {
        Set<CompletableFuture<EvaluationStatus>> futures = waiting.remove(id);
        if (futures != null) {
            futures.forEach(f -> f.complete(status));
        }
    }
}
