package dev.crucible.sandbox;

/**
 * The execution seam: what dispatch needs from whatever runs programs. Dispatch prepares a run,
 * executes it, may cancel it from another thread, and always closes it; it asks whether the
 * backend is available and hears when it comes back, and has a janitor remove what crashed runs
 * left behind. Containers, labels, image digests and Docker errors stay behind this interface
 * ({@link DockerBackend} is the real one; dispatch tests use a fake).
 */
public interface ExecutionBackend {

    /**
     * Makes everything the run needs; nothing runs yet. The caller must close the returned run.
     * What the backend names and labels its runs by (so its janitor finds them) comes from
     * {@code owner}.
     *
     * @throws BackendUnavailableException the backend cannot take work now (nothing was left behind
     *                                     that the janitor will not remove)
     * @throws ImageUnavailableException   the request's runtime image is missing
     */
    PreparedRun prepare(SandboxRequest request, RunOwner owner);

    /** Whose run it is: the evaluation, the worker that claimed it, and which attempt. */
    record RunOwner(String evalId, String workerId, int attempt) {
    }

    boolean isAvailable();

    /** Told (once per recovery) when the backend is available again after an outage. */
    void addListener(Listener listener);

    /** Removes what runs of this installation left behind whose owner is gone; how many. */
    int reapLeftovers();

    /** Removes whatever is left of one evaluation's runs (its worker died). */
    void removeLeftoversOf(String evalId);

    /** The digest to record for a run that used {@code image} as {@code imageId}; null when unknown. */
    String imageDigest(String image, String imageId);

    /** What the last look at {@code image} found wrong, or null. */
    String imageProblem(String image);

    /**
     * Runs made ready ahead of time (pre-started containers): how many wait now, how many were
     * taken, and about how much memory those waiting hold (outside the memory budget, which is
     * the running work's: see ContainerPool).
     */
    record Readiness(boolean enabled, int ready, long handedOut, long heldBytes) {
        public static final Readiness NONE = new Readiness(false, 0, 0, 0);
    }

    /** What this backend holds ready ahead of time; {@link Readiness#NONE} when it keeps nothing ready. */
    default Readiness readiness() {
        return Readiness.NONE;
    }

    /** One prepared run: executed once, cancellable from any thread, always closed. */
    interface PreparedRun extends AutoCloseable {

        /**
         * Runs the program and returns how it ended; {@code live} hears its output meanwhile.
         *
         * @throws BackendUnavailableException the backend stopped answering during the run
         */
        SandboxOutcome execute(OutputListener live);

        /** Runs the program, with no one listening to its output before it ends. */
        default SandboxOutcome execute() {
            return execute(OutputListener.NONE);
        }

        /** Asks the run to stop; safe from any thread, before or during {@link #execute()}. */
        void cancel();

        /** Removes what the run used, whatever happened. */
        @Override
        void close();
    }

    interface Listener {
        void backendAvailable();
    }

    /**
     * Hears a plain run's output while the program writes it: each call adds {@code text} of one
     * stream to the run's combined output, so the calls put together, in order, are exactly the
     * outcome's {@link SandboxOutcome#output()} (cut at the output limit like it). Called on the
     * backend's own threads as output arrives: it must only take the text, never wait or do I/O.
     * Runs with test cases tell nothing here (each case's output comes with the outcome).
     */
    @FunctionalInterface
    interface OutputListener {
        void output(boolean stderr, String text);

        OutputListener NONE = (stderr, text) -> {
        };
    }
}
