package dev.crucible.evaluation;

import dev.crucible.support.TestPostgres;
import org.junit.jupiter.api.Tag;

/** The queue's contract on a real PostgreSQL (a database of its own per test). */
@Tag("postgres")
class PostgresQueueContractTest extends QueueContract {

    @Override
    String newDatabase() {
        return TestPostgres.createDatabase("queue");
    }

    @Override
    String vendor() {
        return "postgresql";
    }

    @Override
    void dropDatabase(String url) {
        TestPostgres.dropDatabase(url);
    }

    @Override
    boolean expectedExclusive() {
        return false;
    }
}
