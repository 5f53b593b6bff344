package dev.crucible.dispatch;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.crucible.evaluation.Evaluation;
import org.springframework.stereotype.Component;

/** The evaluations this process is running right now. */
@Component
class ActiveRuns {

    private final Map<String, ActiveRun> runs = new ConcurrentHashMap<>();

    ActiveRun register(Evaluation claimed) {
        ActiveRun run = new ActiveRun(claimed);
        runs.put(claimed.id(), run);
        return run;
    }

    /** Forgets {@code run}; a newer run of the same evaluation (claimed again meanwhile) stays. */
    void remove(ActiveRun run) {
        runs.remove(run.claimed().id(), run);
    }

    java.util.Set<String> ids() {
        return java.util.Set.copyOf(runs.keySet());
    }

    boolean contains(String evalId) {
        return runs.containsKey(evalId);
    }

    /** Cancels the run of {@code evalId} if this process has it; false otherwise. */
    boolean cancel(String evalId) {
        ActiveRun run = runs.get(evalId);
        if (run == null) {
            return false;
        }
        run.cancel();
        return true;
    }

    Collection<ActiveRun> all() {
        return runs.values();
    }

    int size() {
        return runs.size();
    }

    /** The memory limits of the runs held here, added up. */
    long memoryInUse() {
        return runs.values().stream().mapToLong(r -> r.claimed().limits().memoryBytes()).sum();
    }

    /** How many of the runs held here belong to batches. */
    int batchRuns() {
        return (int) runs.values().stream().filter(r -> r.claimed().batchId() != null).count();
    }
}
