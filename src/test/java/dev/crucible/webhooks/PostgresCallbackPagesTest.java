package dev.crucible.webhooks;

import dev.crucible.support.TestPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The callbacks page again on a real PostgreSQL: its list (a union of two ordered, limited reads) and counts run there too. */
@Tag("postgres")
class PostgresCallbackPagesTest extends CallbackPagesTest {

    static String database;

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry properties) {
        database = TestPostgres.useNewDatabase(properties, "callback_pages");
    }

    @AfterAll
    static void drop() {
        TestPostgres.dropDatabase(database);
    }
}
