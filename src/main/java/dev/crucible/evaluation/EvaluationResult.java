package dev.crucible.evaluation;

import java.util.List;

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
        String imageDigest,
        Compilation compilation,
        List<Artifact> artifacts,
        List<String> artifactNotes,
        List<TestResult> testResults,
        String outputSegments) {

    public EvaluationResult {
        if (!status.isTerminal()) {
            throw new IllegalArgumentException("a result needs a terminal status, not " + status);
        }
        artifacts = artifacts == null ? List.of() : List.copyOf(artifacts);
        artifactNotes = artifactNotes == null ? List.of() : List.copyOf(artifactNotes);
        testResults = testResults == null ? List.of() : List.copyOf(testResults);
    }

    public EvaluationResult(EvaluationStatus status, Integer exitCode, String output, String stdout, String stderr, String error,
            boolean outputTruncated, String failureReason, Long runtimeMs, Long cpuTimeMs, Long peakMemoryKb, String image,
            String imageDigest) {
        this(status, exitCode, output, stdout, stderr, error, outputTruncated, failureReason, runtimeMs, cpuTimeMs, peakMemoryKb,
                image, imageDigest, null, List.of(), List.of(), List.of(), null);
    }

    /** An end the platform decided without running the program (or without a usable outcome). */
    public static EvaluationResult platform(EvaluationStatus status, String failureReason, String error, String image) {
        return new EvaluationResult(status, null, "", "", "", error, false, failureReason, null, null, null, image, null);
    }

    /** This result with the compile stage that came before the run. */
    public EvaluationResult withCompilation(Compilation compiled) {
        return new EvaluationResult(status, exitCode, output, stdout, stderr, error, outputTruncated, failureReason, runtimeMs,
                cpuTimeMs, peakMemoryKb, image, imageDigest, compiled, artifacts, artifactNotes, testResults, outputSegments);
    }

    /** This result with the files the program wrote under /out, and the notes on those left out. */
    public EvaluationResult withArtifacts(List<Artifact> files, List<String> notes) {
        return new EvaluationResult(status, exitCode, output, stdout, stderr, error, outputTruncated, failureReason, runtimeMs,
                cpuTimeMs, peakMemoryKb, image, imageDigest, compilation, files, notes, testResults, outputSegments);
    }

    /**
     * This result with which stream each stretch of its output came from ({@code
     * evaluation.output_segments}; null when unknown).
     */
    public EvaluationResult withOutputSegments(String segments) {
        return new EvaluationResult(status, exitCode, output, stdout, stderr, error, outputTruncated, failureReason, runtimeMs,
                cpuTimeMs, peakMemoryKb, image, imageDigest, compilation, artifacts, artifactNotes, testResults, segments);
    }

    /**
     * This result with how each test case went, and {@code summary} as its output and stdout (the
     * original API's clients read only those).
     */
    public EvaluationResult withTestResults(List<TestResult> results, String summary) {
        return new EvaluationResult(status, exitCode, summary, summary, stderr, error, outputTruncated, failureReason, runtimeMs,
                cpuTimeMs, peakMemoryKb, image, imageDigest, compilation, artifacts, artifactNotes, results, null);
    }
}
