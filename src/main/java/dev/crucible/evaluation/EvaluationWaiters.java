package dev.crucible.evaluation;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.context.event.EventListener;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Lets a caller wait for an evaluation to end (for {@code ?wait=true}) without holding a thread:
 * ends announced in this process complete the wait at once, and a once-a-second look at the
 * database catches ends recorded elsewhere (another worker host). Every evaluation ends, so every
 * entry is eventually removed, also when its caller has stopped waiting.
 */
@Component
public class EvaluationWaiters {

    private final EvaluationRepository repository;
    private final Map<String, CompletableFuture<EvaluationStatus>> waiting = new ConcurrentHashMap<>();

    public EvaluationWaiters(EvaluationRepository repository) {
        this.repository = repository;
    }

    /** Completes when the evaluation has ended (at once if it already has). */
    public CompletableFuture<EvaluationStatus> whenEnded(String id) {
        CompletableFuture<EvaluationStatus> future = waiting.computeIfAbsent(id, k -> new CompletableFuture<>());
        repository.statusOf(id).filter(EvaluationStatus::isTerminal).ifPresent(s -> complete(id, s));
        return future;
    }

    @EventListener
    void onEnded(EvaluationEvents.Ended ended) {
        complete(ended.evalId(), ended.status());
    }

    @Scheduled(fixedDelay = 1000)
    void pollEndedElsewhere() {
        for (String id : waiting.keySet()) {
            repository.statusOf(id).filter(EvaluationStatus::isTerminal).ifPresent(s -> complete(id, s));
        }
    }

    private void complete(String id, EvaluationStatus status) {
        CompletableFuture<EvaluationStatus> future = waiting.remove(id);
        if (future != null) {
            future.complete(status);
        }
    }
}
