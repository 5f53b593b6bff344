package dev.crucible.live;

import dev.crucible.support.TestPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Every event stream test again on a real PostgreSQL: the live output's table, its signals and the replay. */
@Tag("docker")
@Tag("postgres")
class PostgresLiveEventsTest extends LiveEventsTest {

    static String database;

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry properties) {
        database = TestPostgres.useNewDatabase(properties, "live");
    }

    @AfterAll
    static void drop() {
        // the context (and its pool) stays cached until the JVM ends: drop with FORCE
        TestPostgres.dropDatabase(database);
    }
}
