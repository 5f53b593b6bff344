package dev.crucible.evaluation;

/**
 * How much a worker can give one run, as the worker (dispatch) knows it: submissions that could
 * never start are refused at once instead of waiting in the queue forever.
 */
public interface RunCapacity {

    /** The memory all running evaluations of a worker may hold together, in bytes. */
    long memoryBudgetBytes();
}
