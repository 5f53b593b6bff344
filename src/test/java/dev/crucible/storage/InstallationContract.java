package dev.crucible.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.zaxxer.hikari.HikariDataSource;
import dev.crucible.support.TestDatabases;
import org.junit.jupiter.api.RepeatedTest;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Processes that start on a new database at the same moment all take one installation id (its
 * containers' label, which the orphan reaper goes by) and make one admin account, and none of
 * them fails to start. Eight starters race on each database.
 */
abstract class InstallationContract {

    abstract TestDatabases.Vendor vendor();

    @RepeatedTest(3)
    void startersRacingOnANewDatabaseAllTakeTheSameId() throws Exception {
        HikariDataSource dataSource = TestDatabases.create(vendor(), "installation");
        ExecutorService starters = Executors.newFixedThreadPool(8);
        try {
            JdbcClient jdbc = JdbcClient.create(dataSource);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<String>> ids = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                ids.add(starters.submit(() -> {
                    go.await();
                    return new Installation(jdbc).id();
                }));
            }
            go.countDown();
            List<String> taken = new ArrayList<>();
            for (Future<String> id : ids) {
                taken.add(id.get());
            }
            assertThat(taken).hasSize(8).containsOnly(taken.get(0));
            assertThat(jdbc.sql("SELECT COUNT(*) FROM installation").query(Long.class).single()).isEqualTo(1);
            assertThat(new Installation(jdbc).id()).isEqualTo(taken.get(0));

            // the admin account is made once too, whichever starter wins, with or without a set password
            for (String password : new String[] {null, "set-by-the-operator"}) {
                jdbc.sql("DELETE FROM admin_account").update();
                CountDownLatch again = new CountDownLatch(1);
                List<Future<?>> admins = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    admins.add(starters.submit(() -> {
                        again.await();
                        return dev.crucible.security.AdminAccountAccess.make(jdbc, password);
                    }));
                }
                again.countDown();
                for (Future<?> admin : admins) {
                    admin.get();
                }
                assertThat(jdbc.sql("SELECT COUNT(*) FROM admin_account").query(Long.class).single()).isEqualTo(1);
            }
        } finally {
            starters.shutdownNow();
            TestDatabases.dispose(vendor(), dataSource);
        }
    }
}
