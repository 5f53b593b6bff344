package dev.crucible.dispatch;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.crucible.evaluation.Artifact;
import dev.crucible.evaluation.Compilation;
import dev.crucible.evaluation.DatabaseOutage;
import dev.crucible.evaluation.Evaluation;
import dev.crucible.evaluation.EvaluationQueue;
import dev.crucible.evaluation.EvaluationResult;
import dev.crucible.evaluation.EvaluationStatus;
import dev.crucible.evaluation.LimitsProperties;
import dev.crucible.live.LiveOutput;
import dev.crucible.runtime.Language;
import dev.crucible.runtime.Languages;
import dev.crucible.sandbox.BackendUnavailableException;
import dev.crucible.sandbox.ExecutionBackend;
import dev.crucible.sandbox.ImageUnavailableException;
import dev.crucible.sandbox.SandboxOutcome;
import dev.crucible.sandbox.SandboxProperties;
import dev.crucible.sandbox.SandboxRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Runs one claimed evaluation in the sandbox and records how it ended, exactly once. The
 * container is removed after the result is recorded (the caller waiting for the result does
 * not wait for the removal), and always.
 */
@Component
class EvaluationRunner {

    private static final Logger log = LoggerFactory.getLogger(EvaluationRunner.class);

    private final ExecutionBackend backend;
    private final EvaluationQueue queue;
    private final Languages languages;
    private final DispatchProperties properties;
    private final LimitsProperties limits;
    private final SandboxProperties sandboxProperties;
    private final io.micrometer.core.instrument.MeterRegistry meters;
    private final LiveOutput liveOutput;

    EvaluationRunner(ExecutionBackend backend, EvaluationQueue queue, Languages languages, DispatchProperties properties,
            LimitsProperties limits, SandboxProperties sandboxProperties, io.micrometer.core.instrument.MeterRegistry meters,
            LiveOutput liveOutput) {
        this.meters = meters;
        this.liveOutput = liveOutput;
        this.backend = backend;
        this.queue = queue;
        this.languages = languages;
        this.properties = properties;
        this.limits = limits;
        this.sandboxProperties = sandboxProperties;
    }

    void run(ActiveRun active) {
        Evaluation e = active.claimed();
        if (e.createdAt() != null) {
            phase("queued", java.time.Duration.between(e.createdAt(), java.time.Instant.now()).toNanos());
        }
        try {
            execute(active);
        } catch (RuntimeException | Error failure) {
            log.error("Evaluation {} failed inside the platform", e.id(), failure);
            record(e, EvaluationResult.platform(EvaluationStatus.FAILED, "platform_error",
                    "The platform failed to run this evaluation: " + failure.getMessage(), null));
        }
    }

    /**
     * Records how the run ended, waiting out a database that does not answer (restarting, say):
     * the result is kept here and written as soon as it answers again, rather than lost and the
     * evaluation run a second time. The row stays this worker's meanwhile (its heartbeats resume
     * with the database). After {@code 4 x dead-after}, or when the platform stops, it gives up:
     * then recovery runs the evaluation again, as after a crash.
     */
    private boolean record(Evaluation e, EvaluationResult result) {
        long giveUpAt = System.nanoTime() + properties.deadAfter().multipliedBy(4).toNanos();
        long pauseMs = 250;
        boolean told = false;
        while (true) {
            try {
                long start = System.nanoTime();
                boolean recorded = queue.record(e, result);
                phase("record", System.nanoTime() - start);
                if (told) {
                    log.info("Evaluation {}: the database answers again; its result is recorded", e.id());
                }
                return recorded;
            } catch (RuntimeException down) {
                if (!DatabaseOutage.isOutage(down) || System.nanoTime() > giveUpAt || Thread.currentThread().isInterrupted()) {
                    throw down;
                }
                if (!told) {
                    log.warn("Evaluation {}: the database does not answer ({}); keeping its result until it does", e.id(),
                            org.springframework.core.NestedExceptionUtils.getMostSpecificCause(down).getMessage());
                    told = true;
                }
                try {
                    Thread.sleep(pauseMs);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw down;
                }
                pauseMs = Math.min(5_000, pauseMs * 2);
            }
        }
    }

    private void execute(ActiveRun active) {
        Evaluation e = active.claimed();
        Optional<Language> language = languages.find(e.language());
        if (language.isEmpty()) {
            record(e, EvaluationResult.platform(EvaluationStatus.FAILED, "platform_error",
                    "Language '" + e.language() + "' is no longer configured", null));
            return;
        }
        if (queue.isCancelRequested(e.id())) {
            active.cancel();
        }
        if (active.isStoppedForShutdown()) {
            backToQueueForShutdown(e);
            return;
        }
        if (active.isCancelled()) {
            record(e, EvaluationResult.platform(EvaluationStatus.CANCELLED, "cancelled", "Cancelled by user",
                    language.get().image()));
            return;
        }
        SandboxRequest request = request(e, language.get());
        Compilation compilation = null;
        if (language.get().compiles()) {
            SandboxRequest compile = request.compile(limits.compileMemoryBytes(),
                    Duration.ofSeconds(e.compileTimeoutSeconds() != null ? e.compileTimeoutSeconds()
                            : limits.defaultCompileTimeoutSeconds()),
                    new SandboxRequest.Collect(Language.BUILD_DIR, COMPILED_FILES, COMPILED_BYTES));
            SandboxOutcome compiled = stage(active, e, language.get(), compile, ExecutionBackend.OutputListener.NONE);
            if (compiled == null) {
                return;
            }
            compilation = new Compilation(compiled.output(), compiled.exitCode(), compiled.runtimeMs(), compiled.cpuTimeMs(),
                    compiled.peakMemoryKb());
            EvaluationResult failed = compileFailure(compile, compiled, compilation);
            if (failed != null) {
                recordOnce(e, failed);
                return;
            }
            request = request.withBuild(compiled.files());
        }
        SandboxOutcome outcome;
        String segments;
        try (LiveOutput.Run live = liveOutput.open(e.id(), e.attempts())) {
            outcome = stage(active, e, language.get(), request, live);
            segments = live.segments();
        }
        if (outcome != null) {
            EvaluationResult result = result(outcome, backend.imageDigest(outcome.image(), outcome.imageId()))
                    .withArtifacts(outcome.files().stream().map(f -> Artifact.of(f.name(), f.content())).toList(),
                            outcome.notes())
                    .withOutputSegments(segments);
            if (!e.testCases().isEmpty()) {
                result = TestResults.of(e.testCases(), outcome, result);
            }
            recordOnce(e, compilation == null ? result : result.withCompilation(compilation));
        }
    }

    /**
     * Where an evaluation's time goes, as {@code crucible_evaluation_phase_seconds{phase}}: queued
     * (submitted to picked up), prepare (a container handed out or made, the program put in),
     * execute (the program delivered, run, and its outcome back), program (the program's own run
     * time, part of execute), record (the result written), and compile_prepare / compile.
     */
    private void phase(String name, long nanos) {
        io.micrometer.core.instrument.Timer.builder("crucible.evaluation.phase")
                .description("Where evaluations' time goes on this worker, by phase")
                .tag("phase", name)
                .register(meters).record(java.time.Duration.ofNanos(Math.max(0, nanos)));
    }

    /** At most this many files and bytes come back from a compiler's /build. */
    static final int COMPILED_FILES = 1000;
    static final long COMPILED_BYTES = 256L * 1024 * 1024;

    private void recordOnce(Evaluation e, EvaluationResult result) {
        if (!record(e, result)) {
            log.warn("Evaluation {} was taken over by another worker; its result here is dropped", e.id());
        }
    }

    /**
     * Runs one container of the evaluation (its compile stage, or its run) and returns its
     * outcome; null when the evaluation was settled otherwise (recorded, released, requeued), and
     * then the caller stops.
     */
    private SandboxOutcome stage(ActiveRun active, Evaluation e, Language language, SandboxRequest request,
            ExecutionBackend.OutputListener live) {
        ExecutionBackend.PreparedRun run;
        try {
            long start = System.nanoTime();
            run = backend.prepare(request, new ExecutionBackend.RunOwner(e.id(), e.workerId(), e.attempts()));
            phase(request.stage() == SandboxRequest.Stage.COMPILE ? "compile_prepare" : "prepare", System.nanoTime() - start);
        } catch (BackendUnavailableException unavailable) {
            log.warn("The execution backend is unavailable ({}); evaluation {} goes back to the queue",
                    unavailable.getMessage(), e.id());
            queue.release(e);
            return null;
        } catch (ImageUnavailableException missing) {
            String problem = backend.imageProblem(language.image());
            String why = problem != null ? missing.getMessage() + "; last check: " + problem : missing.getMessage();
            record(e, EvaluationResult.platform(EvaluationStatus.FAILED, "image_unavailable", why, language.image()));
            return null;
        }
        try (run) {
            active.attach(run);
            SandboxOutcome outcome;
            try {
                long start = System.nanoTime();
                outcome = run.execute(live);
                long took = System.nanoTime() - start;
                if (request.stage() == SandboxRequest.Stage.RUN) {
                    phase("execute", took);
                    if (outcome.runtimeMs() != null) {
                        phase("program", outcome.runtimeMs() * 1_000_000L);
                    }
                } else {
                    phase("compile", took);
                }
            } catch (BackendUnavailableException unavailable) {
                cutOff(e, "the execution backend stopped answering while it ran (" + unavailable.getMessage() + ")", language);
                return null;
            }
            if (active.isStoppedForShutdown() && outcome.kind() == SandboxOutcome.Kind.CANCELLED) {
                backToQueueForShutdown(e);
                return null;
            }
            return outcome;
        }
    }

    /**
     * How a compile stage that did not succeed ends the evaluation (failed, {@code compile_error},
     * or {@code compile_timeout}; a cancel is a cancel); null when the program may run.
     */
    private static EvaluationResult compileFailure(SandboxRequest compile, SandboxOutcome compiled, Compilation compilation) {
        String image = compiled.image();
        EvaluationResult failed = switch (compiled.kind()) {
            case COMPLETED -> compiled.files().isEmpty()
                    ? EvaluationResult.platform(EvaluationStatus.FAILED, "compile_error",
                            "The compiler ended without error but wrote nothing to " + Language.BUILD_DIR, image)
                    : null;
            case CANCELLED -> EvaluationResult.platform(EvaluationStatus.CANCELLED, "cancelled", "Cancelled by user", image);
            case TIMEOUT -> EvaluationResult.platform(EvaluationStatus.FAILED, "compile_timeout",
                    "Compilation timed out after " + compile.timeout().toSeconds() + " s (compile_timeout); the compiler was killed",
                    image);
            case FAILED -> EvaluationResult.platform(EvaluationStatus.FAILED, "compile_error",
                    compileError(compile, compiled), image);
        };
        return failed == null ? null : failed.withCompilation(compilation);
    }

    private static String compileError(SandboxRequest compile, SandboxOutcome compiled) {
        if ("memory_limit".equals(compiled.failureReason())) {
            return "The compiler was killed by the out-of-memory killer: it exceeded the compile memory limit of "
                    + compile.memoryBytes() / (1024 * 1024) + " MiB (crucible.limits.compile-memory)";
        }
        String why = compiled.error() != null ? "Compilation failed: " + compiled.error()
                : "Compilation failed (exit code " + compiled.exitCode() + ")";
        // clients of the original API read error and output only: the compiler's words go here too
        return compiled.output().isEmpty() ? why : why + ":\n" + compiled.output();
    }

    /** The platform is stopping: the run was not the program's fault and does not count as an attempt. */
    private void backToQueueForShutdown(Evaluation e) {
        if (queue.release(e)) {
            log.info("Evaluation {} goes back to the queue: the platform is shutting down", e.id());
        }
    }

    /**
     * A run that was cut off by the platform, not by the program: run it again from the queue
     * unless it has used its attempts (a program that brings the daemon down must not do so forever).
     */
    private void cutOff(Evaluation e, String why, Language language) {
        if (e.attempts() < properties.maxAttempts() && queue.requeue(e)) {
            log.warn("Evaluation {} goes back to the queue: {}", e.id(), why);
            return;
        }
        record(e, EvaluationResult.platform(EvaluationStatus.FAILED, "platform_error",
                "Evaluation interrupted: " + why, language.image()));
    }

    /** The run's request; its backend names and labels it ({@link ExecutionBackend#prepare}). */
    private SandboxRequest request(Evaluation e, Language language) {
        SandboxRequest request = new SandboxRequest(null, language, e.code(), e.stdin(), e.limits().memoryBytes(),
                e.limits().nanoCpus(), e.limits().timeout(), Map.of(), e.args(), files(e), SandboxRequest.Stage.RUN, List.of(),
                new SandboxRequest.Collect(SandboxRequest.OUTPUT_DIR, sandboxProperties.artifactsFiles(),
                        sandboxProperties.artifactsSize().toBytes()), List.of(), null);
        if (!e.testCases().isEmpty()) {
            request = request.withCases(e.testCases().stream().map(c -> new SandboxRequest.Case(c.stdin(), c.args())).toList(),
                    e.limits().timeout(), e.runBound());
        }
        return request;
    }

    private static Map<String, String> files(Evaluation e) {
        Map<String, String> files = new java.util.LinkedHashMap<>();
        e.files().forEach(f -> files.put(f.name(), f.content()));
        return files;
    }

    private static EvaluationResult result(SandboxOutcome o, String digest) {
        EvaluationStatus status = switch (o.kind()) {
            case COMPLETED -> EvaluationStatus.COMPLETED;
            case FAILED -> EvaluationStatus.FAILED;
            case TIMEOUT -> EvaluationStatus.TIMEOUT;
            case CANCELLED -> EvaluationStatus.CANCELLED;
        };
        return new EvaluationResult(status, o.exitCode(), o.output(), o.stdout(), o.stderr(), o.error(),
                o.outputTruncated(), o.failureReason(), o.runtimeMs(), o.cpuTimeMs(), o.peakMemoryKb(), o.image(), digest);
    }
}
