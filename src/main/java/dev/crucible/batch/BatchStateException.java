package dev.crucible.batch;

/** The batch is not in a state that allows this (cancel a completed batch, restart a running one); 409. */
class BatchStateException extends RuntimeException {

    BatchStateException(String message) {
        super(message);
    }
}
