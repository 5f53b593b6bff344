package dev.crucible.webhooks;

import org.springframework.stereotype.Component;

/** An admin's second chance for a failed callback (the API's and the admin pages'). */
@Component
public class CallbackRetries {

    private final CallbackRepository callbacks;
    private final CallbackSender sender;

    CallbackRetries(CallbackRepository callbacks, CallbackSender sender) {
        this.callbacks = callbacks;
        this.sender = sender;
    }

    /** Makes a failed callback due at once; false when the evaluation has no failed callback. */
    public boolean retry(String evalId) {
        return retry(CallbackRepository.Subject.EVALUATION, evalId);
    }

    /** The same for a batch's callback. */
    public boolean retryBatch(String batchId) {
        return retry(CallbackRepository.Subject.BATCH, batchId);
    }

    /** Makes every failed callback (of evaluations and batches) due at once; how many there were. */
    public int retryAllFailed() {
        int retried = callbacks.retryAllFailed();
        if (retried > 0) {
            sender.wake();
        }
        return retried;
    }

    private boolean retry(CallbackRepository.Subject subject, String id) {
        if (!callbacks.retryNow(subject, id)) {
            return false;
        }
        sender.wake();
        return true;
    }
}
