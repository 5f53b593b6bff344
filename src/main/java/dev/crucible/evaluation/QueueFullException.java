package dev.crucible.evaluation;

/** The queue holds its maximum of waiting evaluations; answered with HTTP 503. */
public class QueueFullException extends RuntimeException {

    public QueueFullException(long maxSize) {
        super("The queue is full: " + maxSize + " evaluations are already waiting (crucible.queue.max-size). "
                + "Try again when some have run.");
    }
}
