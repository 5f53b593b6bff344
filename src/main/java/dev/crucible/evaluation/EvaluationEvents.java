package dev.crucible.evaluation;

/**
 * What the evaluation feature tells the rest of the platform (in-process, synchronous; {@link
 * SignalRelay} carries them to the other processes sharing the database).
 */
public final class EvaluationEvents {

    private EvaluationEvents() {
    }

    /** A new evaluation is queued: the dispatcher should look for work. */
    public record Submitted(String evalId) {
    }

    /** Someone asked to cancel a running evaluation: its worker should kill the container. */
    public record CancelRequested(String evalId) {
    }

    /**
     * An evaluation reached its final status.
     *
     * @param failureReason null when it completed
     * @param runtimeMs null when its program did not run
     */
    public record Ended(String evalId, EvaluationStatus status, String language, String failureReason, Long runtimeMs) {
    }

    /**
     * Another process sharing the database recorded an evaluation's end (it announced its own
     * {@link Ended} there: metrics and the like count it once, where it happened).
     */
    public record EndedElsewhere(String evalId, EvaluationStatus status) {
    }

    /** A claimed evaluation's run begins (its worker follows its output): event streams say so. */
    public record Started(String evalId) {
    }

    /**
     * A running evaluation's output written so far has grown (in {@code evaluation_output_chunk}):
     * event streams that follow it read on. Heard on every process sharing the database.
     */
    public record OutputWritten(String evalId) {
    }
}
