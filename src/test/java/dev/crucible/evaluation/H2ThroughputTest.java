package dev.crucible.evaluation;

import dev.crucible.support.TestDatabases;

/** Throughput per minute on H2, the embedded default. */
class H2ThroughputTest extends ThroughputContract {

    @Override
    TestDatabases.Vendor vendor() {
        return TestDatabases.Vendor.H2;
    }
}
