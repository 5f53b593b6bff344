package dev.crucible.evaluation;

/**
 * Short messages between the processes that share the database, so that one process's event
 * reaches the others within milliseconds instead of at their next look at the database: new work
 * for idle workers, a cancel for the worker that runs the evaluation, an end for the api node
 * where a client waits. Delivery is best effort (a message sent while a listener reconnects is
 * lost); every receiver also keeps looking at the database now and then, which stays the floor.
 * The database decides how ({@link QueueDatabase#signals}): PostgreSQL's LISTEN/NOTIFY, or
 * nothing at all on a database that belongs to one process.
 */
public interface NodeSignals extends AutoCloseable {

    /** Sends {@code message} to every listening process (this one's listener hears it too). */
    void send(String message);

    /** Starts delivering messages to {@code listener}, on a thread of the signals' own. */
    void listen(Listener listener);

    /** Stops listening and lets go of the connection. */
    @Override
    void close();

    interface Listener {

        void received(String message);

        /**
         * The connection was lost and is back; messages sent meanwhile were missed, so the
         * listener should look at the database once.
         */
        void reconnected();
    }

    /** No other process to tell: every event happens where it is heard. */
    NodeSignals NONE = new NodeSignals() {
        @Override
        public void send(String message) {
        }

        @Override
        public void listen(Listener listener) {
        }

        @Override
        public void close() {
        }
    };
}
