package dev.crucible.evaluation;

import java.util.Optional;

/**
 * Which {@code callback_url}s a submission may name (implemented by dev.crucible.webhooks, which
 * delivers to them): a refused one is a 422 and nothing is stored.
 */
public interface CallbackTargets {

    /** Why {@code url} may not be called back, or empty when it may. */
    Optional<String> refusal(String url);
}
