package dev.crucible.sandbox;

/** The labels every evaluation container carries; the reaper finds containers by them. */
public final class SandboxLabels {

    public static final String EVAL_ID = "crucible.eval-id";
    public static final String INSTALLATION = "crucible.installation";
    public static final String WORKER = "crucible.worker";
    public static final String ATTEMPT = "crucible.attempt";
    /** On a pooled container: the shape it was made for. It has no evaluation label (it had none when made). */
    public static final String POOL = "crucible.pool";

    private SandboxLabels() {
    }
}
