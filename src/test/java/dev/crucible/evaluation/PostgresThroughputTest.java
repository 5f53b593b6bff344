package dev.crucible.evaluation;

import dev.crucible.support.TestDatabases;
import org.junit.jupiter.api.Tag;

/** Throughput per minute on a real PostgreSQL (a database of its own per test). */
@Tag("postgres")
class PostgresThroughputTest extends ThroughputContract {

    @Override
    TestDatabases.Vendor vendor() {
        return TestDatabases.Vendor.POSTGRESQL;
    }
}
