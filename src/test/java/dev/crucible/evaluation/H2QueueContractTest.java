package dev.crucible.evaluation;

import dev.crucible.support.TestDatabases;

/** The queue's contract on H2, the embedded default (a file database of its own). */
class H2QueueContractTest extends QueueContract {

    @Override
    TestDatabases.Vendor vendor() {
        return TestDatabases.Vendor.H2;
    }

    @Override
    boolean expectedExclusive() {
        return true;
    }
}
