package dev.crucible.sandbox;

/** The labels every evaluation container carries; the reaper finds containers by them. */
public final class SandboxLabels {

    public static final String EVAL_ID = "crucible.eval-id";
    public static final String INSTALLATION = "crucible.installation";
    public static final String WORKER = "crucible.worker";
    public static final String ATTEMPT = "crucible.attempt";

    private SandboxLabels() {
    }
}
