package dev.crucible.evaluation;

/** How an evaluation ended, as its worker recorded it. */
public record EvaluationResult(
        EvaluationStatus status,
        Integer exitCode,
        String output,
        String stdout,
        String stderr,
        String error,
        boolean outputTruncated,
        String failureReason,
        Long runtimeMs,
        Long cpuTimeMs,
        Long peakMemoryKb,
        String image,
        String imageDigest) {

    public EvaluationResult {
        if (!status.isTerminal()) {
            throw new IllegalArgumentException("a result needs a terminal status, not " + status);
        }
    }

    /** An end the platform decided without running the program (or without a usable outcome). */
    public static EvaluationResult platform(EvaluationStatus status, String failureReason, String error, String image) {
        return new EvaluationResult(status, null, "", "", "", error, false, failureReason, null, null, null, image, null);
    }
}
