package dev.crucible.evaluation;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import javax.sql.DataSource;

import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * {@link NodeSignals} on PostgreSQL's LISTEN/NOTIFY. Sending is {@code pg_notify} on any pooled
 * connection (inside a transaction PostgreSQL delivers it at commit, so a receiver never hears of
 * a row it cannot read yet). Listening holds one connection of the pool for as long as the
 * process runs; when that connection breaks (the database restarts, say) the listener takes
 * another as soon as the database answers again, and says so with {@link Listener#reconnected}.
 */
final class PostgresNodeSignals implements NodeSignals {

    private static final Logger log = LoggerFactory.getLogger(PostgresNodeSignals.class);

    /** The one channel of an installation's database; a database holds one installation. */
    static final String CHANNEL = "crucible_signals";
    private static final int WAIT_MILLIS = 500;
    private static final Duration CHECK_QUIET_CONNECTION = Duration.ofSeconds(15);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

    private final DataSource dataSource;
    private final JdbcClient jdbc;
    private volatile boolean open = true;
    private Thread thread;

    PostgresNodeSignals(DataSource dataSource) {
        this.dataSource = dataSource;
        this.jdbc = JdbcClient.create(dataSource);
    }

    @Override
    public void send(String message) {
        try {
            jdbc.sql("SELECT pg_notify('" + CHANNEL + "', :message)").param("message", message).query().listOfRows();
        } catch (DataAccessException e) {
            // the receivers' own looks at the database are the floor; the sender's work is done
            log.debug("Could not signal the other processes: {}", e.getMessage());
        }
    }

    @Override
    public synchronized void listen(Listener listener) {
        if (thread != null) {
            throw new IllegalStateException("already listening");
        }
        thread = new Thread(() -> listenUntilClosed(listener), "node-signals");
        thread.setDaemon(true);
        thread.start();
    }

    private void listenUntilClosed(Listener listener) {
        boolean lostBefore = false;
        Duration backoff = Duration.ofMillis(250);
        while (open) {
            try (Connection connection = dataSource.getConnection()) {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("LISTEN " + CHANNEL);
                }
                if (lostBefore) {
                    log.info("Listening to the other processes again");
                    listener.reconnected();
                }
                backoff = Duration.ofMillis(250);
                deliver(connection, listener);
                // closed: a pooled connection that kept listening would pile up messages unread
                try (Statement statement = connection.createStatement()) {
                    statement.execute("UNLISTEN *");
                }
            } catch (SQLException | RuntimeException e) {
                if (!open) {
                    return;
                }
                if (!lostBefore) {
                    log.warn("Lost the connection that hears the other processes ({}); reconnecting", e.getMessage());
                }
                lostBefore = true;
                if (!sleep(backoff)) {
                    return;
                }
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
            }
        }
    }

    /** Hands over messages until the connection breaks or the signals close. */
    private void deliver(Connection connection, Listener listener) throws SQLException {
        PGConnection pg = connection.unwrap(PGConnection.class);
        long quietSince = System.nanoTime();
        while (open) {
            PGNotification[] notifications = pg.getNotifications(WAIT_MILLIS);
            if (notifications != null && notifications.length > 0) {
                quietSince = System.nanoTime();
                for (PGNotification notification : notifications) {
                    try {
                        listener.received(notification.getParameter());
                    } catch (RuntimeException e) {
                        log.warn("A signal from another process could not be handled: {}", e.getMessage());
                    }
                }
            } else if (System.nanoTime() - quietSince > CHECK_QUIET_CONNECTION.toNanos()) {
                // a connection cut off without a word would otherwise look quiet for ever
                if (!connection.isValid(5)) {
                    throw new SQLException("the listening connection no longer answers");
                }
                quietSince = System.nanoTime();
            }
        }
    }

    /** False when interrupted: the process is going down. */
    private static boolean sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public void close() {
        open = false;
        Thread listening;
        synchronized (this) {
            listening = thread;
        }
        if (listening != null) {
            try {
                listening.join(2 * WAIT_MILLIS + 1000L);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
