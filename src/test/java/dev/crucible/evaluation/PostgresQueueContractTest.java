package dev.crucible.evaluation;

import dev.crucible.support.TestDatabases;
import org.junit.jupiter.api.Tag;

/** The queue's contract on a real PostgreSQL (a database of its own per test). */
@Tag("postgres")
class PostgresQueueContractTest extends QueueContract {

    @Override
    TestDatabases.Vendor vendor() {
        return TestDatabases.Vendor.POSTGRESQL;
    }

    @Override
    boolean expectedExclusive() {
        return false;
    }
}
