package dev.crucible.dispatch;

import dev.crucible.evaluation.Evaluation;
import dev.crucible.sandbox.ExecutionBackend;

/** An evaluation this process has claimed, from the claim until its result is recorded. */
final class ActiveRun {

    private final Evaluation claimed;
    private ExecutionBackend.PreparedRun run;
    private boolean cancelled;
    private boolean stoppedForShutdown;

    ActiveRun(Evaluation claimed) {
        this.claimed = claimed;
    }

    Evaluation claimed() {
        return claimed;
    }

    /** Connects the container; a cancel that came first is passed on at once. */
    synchronized void attach(ExecutionBackend.PreparedRun sandboxRun) {
        this.run = sandboxRun;
        if (cancelled) {
            sandboxRun.cancel();
        }
    }

    synchronized void cancel() {
        cancelled = true;
        if (run != null) {
            run.cancel();
        }
    }

    synchronized boolean isCancelled() {
        return cancelled;
    }

    /** Stops the run because the platform is shutting down: it goes back to the queue, not to the history. */
    synchronized void stopForShutdown() {
        stoppedForShutdown = true;
        cancel();
    }

    synchronized boolean isStoppedForShutdown() {
        return stoppedForShutdown;
    }
}
