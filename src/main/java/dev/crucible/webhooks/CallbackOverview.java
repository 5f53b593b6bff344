package dev.crucible.webhooks;

import java.time.Instant;
import java.util.List;

import dev.crucible.evaluation.Callback;
import org.springframework.stereotype.Component;

/** The admin's view of the callbacks owed and made: how many are in each state, and a page of them. */
@Component
public class CallbackOverview {

    /** The states a callback can be in, in the order the admin page offers them. */
    public static final List<String> STATUSES = List.of(Callback.FAILED, Callback.PENDING, Callback.DELIVERED);

    /** One callback: of a batch or of an evaluation (by its id), how it stands, and when its subject ended. */
    public record Row(boolean batch, String id, Callback callback, Instant endedAt) {
    }

    /** A page of callbacks in one state. */
    public record Page(String status, List<Row> rows, long total, int page, int size) {
        public int pages() {
            return (int) Math.max(1, (total + size - 1) / size);
        }
    }

    private final CallbackRepository callbacks;

    CallbackOverview(CallbackRepository callbacks) {
        this.callbacks = callbacks;
    }

    /** How many callbacks have failed (the header's counter). */
    public long failed() {
        return count(Callback.FAILED);
    }

    /** How many callbacks, of evaluations and batches together, are in this state. */
    public long count(String status) {
        return callbacks.count(status);
    }

    /** @param status one of {@link #STATUSES} */
    public Page page(String status, int page, int size) {
        if (!STATUSES.contains(status)) {
            throw new IllegalArgumentException("status must be one of " + String.join(", ", STATUSES));
        }
        long total = count(status);
        int pages = (int) Math.max(1, (total + size - 1) / size);
        int current = Math.max(1, Math.min(page, pages));
        return new Page(status, callbacks.list(status, (current - 1) * size, size), total, current, size);
    }
}
