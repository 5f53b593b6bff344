package dev.crucible.webhooks;

import org.springframework.stereotype.Component;

/** An admin's second chance for a failed callback (the API's and the evaluation page's). */
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
        if (!callbacks.retryNow(evalId)) {
            return false;
        }
        sender.wake();
        return true;
    }
}
