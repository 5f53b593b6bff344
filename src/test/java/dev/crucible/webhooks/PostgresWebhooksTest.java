package dev.crucible.webhooks;

import dev.crucible.support.TestPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Every webhook test again on a real PostgreSQL: the due query, the claims and the leases run there too. */
@Tag("docker")
@Tag("postgres")
class PostgresWebhooksTest extends WebhooksTest {

    static String database;

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry properties) {
        database = TestPostgres.useNewDatabase(properties, "webhooks");
    }

    @AfterAll
    static void drop() {
        // the context (and its pool) stays cached until the JVM ends: drop with FORCE
        TestPostgres.dropDatabase(database);
    }
}
