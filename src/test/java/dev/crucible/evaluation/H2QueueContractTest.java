package dev.crucible.evaluation;

import dev.crucible.support.TempStorage;

/** The queue's contract on H2, the embedded default (a file database of its own). */
class H2QueueContractTest extends QueueContract {

    @Override
    String newDatabase() {
        return "jdbc:h2:file:" + TempStorage.create("queue-h2") + "/crucible;WRITE_DELAY=0";
    }

    @Override
    String vendor() {
        return "h2";
    }

    @Override
    boolean expectedExclusive() {
        return true;
    }
}
