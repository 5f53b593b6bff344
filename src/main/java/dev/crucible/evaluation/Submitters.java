package dev.crucible.evaluation;

/** Who is submitting in the current request (implemented by dev.crucible.security). */
public interface Submitters {

    /** The id of the API key the current request was made with; null without one of the keys page's. */
    String currentKeyId();
}
