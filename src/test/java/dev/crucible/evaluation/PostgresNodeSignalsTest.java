package dev.crucible.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import com.zaxxer.hikari.HikariDataSource;
import dev.crucible.support.TestDatabases;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * LISTEN/NOTIFY between two "processes" (two pools on one real PostgreSQL database): what one
 * sends the other hears within milliseconds, and a listener whose connection the server kills
 * comes back by itself, says so, and hears what is sent afterwards.
 */
@Tag("postgres")
class PostgresNodeSignalsTest {

    HikariDataSource first;
    HikariDataSource second;

    @BeforeEach
    void databases() {
        first = TestDatabases.create(TestDatabases.Vendor.POSTGRESQL, "signals");
        second = new HikariDataSource();
        second.setJdbcUrl(first.getJdbcUrl());
        second.setUsername(first.getUsername());
        second.setPassword(first.getPassword());
    }

    @AfterEach
    void drop() {
        second.close();
        TestDatabases.dispose(TestDatabases.Vendor.POSTGRESQL, first);
    }

    static final class Heard implements NodeSignals.Listener {
        final List<String> messages = new CopyOnWriteArrayList<>();
        final AtomicInteger reconnects = new AtomicInteger();

        @Override
        public void received(String message) {
            messages.add(message);
        }

        @Override
        public void reconnected() {
            reconnects.incrementAndGet();
        }
    }

    @Test
    void whatOneProcessSendsTheOtherHearsAndAKilledListenerComesBack() {
        QueueDatabase postgres = new PostgresQueueDatabase();
        Heard heard = new Heard();
        try (NodeSignals sender = postgres.signals(first); NodeSignals receiver = postgres.signals(second)) {
            receiver.listen(heard);
            // LISTEN takes effect once its connection is up; until then a send is simply missed
            await().atMost(Duration.ofSeconds(10)).until(() -> listeners(first) == 1);

            long sent = System.nanoTime();
            sender.send("queued a 01ABC");
            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(5)).until(() -> heard.messages.contains("queued a 01ABC"));
            System.out.printf("PostgresNodeSignalsTest: heard after %.1f ms%n", (System.nanoTime() - sent) / 1e6);

            // the server drops the listening connection: the listener reconnects and hears on
            int killed = JdbcClient.create(first).sql("SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity "
                    + "WHERE datname = current_database() AND query LIKE 'LISTEN%'").query(Integer.class).single();
            assertThat(killed).isEqualTo(1);
            await().atMost(Duration.ofSeconds(15)).until(() -> heard.reconnects.get() == 1);
            sender.send("cancel a 01DEF");
            await().atMost(Duration.ofSeconds(5)).until(() -> heard.messages.contains("cancel a 01DEF"));
            assertThat(heard.messages).containsExactly("queued a 01ABC", "cancel a 01DEF");
        }
        // closed: the listening connection is back in its pool, nobody listens
        await().atMost(Duration.ofSeconds(5)).until(() -> listeners(first) == 0);
    }

    @Test
    void aSendWhileTheDatabaseRefusesIsDroppedQuietly() {
        QueueDatabase postgres = new PostgresQueueDatabase();
        NodeSignals sender = postgres.signals(second);
        second.close();
        sender.send("queued a 01XYZ");
        sender.close();
    }

    private static int listeners(HikariDataSource dataSource) {
        return JdbcClient.create(dataSource).sql("SELECT COUNT(*) FROM pg_stat_activity "
                + "WHERE datname = current_database() AND query LIKE 'LISTEN%' AND pid <> pg_backend_pid()")
                .query(Integer.class).single();
    }
}
