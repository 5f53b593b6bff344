package dev.crucible.batch;

/** No batch has this id; answered with 404. */
class BatchNotFoundException extends RuntimeException {

    BatchNotFoundException(String batchId) {
        super("Batch not found: " + batchId);
    }
}
