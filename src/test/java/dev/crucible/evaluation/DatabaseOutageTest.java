package dev.crucible.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.transaction.TransactionSystemException;

/**
 * Which failures mean "the database did not answer" (so a worker keeps its result and tries again,
 * and a request is answered 503), in the shapes PostgreSQL's restart really produced.
 */
class DatabaseOutageTest {

    @Test
    void aRollbackThatFailedBecauseTheConnectionBrokeIsAnOutage() {
        // ScaleOutIT, PostgreSQL stopped while a worker recorded a result: the UPDATE broke on the
        // dead socket, then the rollback on the closed connection; Spring throws the second
        TransactionSystemException rollback = new TransactionSystemException("JDBC rollback failed",
                new SQLException("Connection is closed", "08003"));
        rollback.initApplicationException(new DataAccessResourceFailureException("An I/O error occurred while sending to the backend",
                new SQLException("An I/O error occurred while sending to the backend", "08006")));
        assertThat(DatabaseOutage.isOutage(rollback)).isTrue();
        // the same without the application exception: the connection's own SQLState says it
        assertThat(DatabaseOutage.isOutage(new TransactionSystemException("Could not commit JDBC transaction",
                new SQLException("This connection has been closed.", "08003")))).isTrue();
    }

    @Test
    void connectionFailuresAreOutagesAndOtherFailuresAreNot() {
        assertThat(DatabaseOutage.isOutage(new CannotGetJdbcConnectionException("Failed to obtain JDBC Connection",
                new SQLTransientConnectionException("HikariPool-1 - Connection is not available", "08001",
                        new ConnectException("Connection refused"))))).isTrue();
        assertThat(DatabaseOutage.isOutage(new DataIntegrityViolationException("duplicate key"))).isFalse();
        assertThat(DatabaseOutage.isOutage(new TransactionSystemException("no", new SQLException("serialization", "40001"))))
                .isFalse();
        assertThat(DatabaseOutage.isOutage(new IllegalStateException("a bug"))).isFalse();
    }
}
