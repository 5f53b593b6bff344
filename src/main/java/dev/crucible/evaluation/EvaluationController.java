package dev.crucible.evaluation;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.crucible.evaluation.ApiModels.CancelView;
import dev.crucible.evaluation.ApiModels.EvaluationView;
import dev.crucible.evaluation.ApiModels.HistoryView;
import dev.crucible.evaluation.ApiModels.ListView;
import dev.crucible.evaluation.ApiModels.LogsView;
import dev.crucible.evaluation.ApiModels.QueueStatusView;
import dev.crucible.evaluation.ApiModels.StatisticsView;
import dev.crucible.evaluation.ApiModels.StatusView;
import dev.crucible.evaluation.ApiModels.SubmitRequest;
import dev.crucible.evaluation.ApiModels.SubmitResponse;
import dev.crucible.evaluation.ApiModels.SummaryView;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.async.DeferredResult;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.ObjectMapper;
import io.swagger.v3.oas.annotations.tags.Tag;

/** The REST API of evaluations, wire-compatible with the original Crucible platform. */
@RestController
@Tag(name = "Evaluations")
@RequestMapping("/api")
class EvaluationController {

    /** Slack for container start and removal on top of an evaluation's own timeout, for ?wait=true. */
    private static final Duration WAIT_SLACK = Duration.ofSeconds(30);

    private final EvaluationService service;
    private final EvaluationRepository repository;
    private final EvaluationWaiters waiters;
    private final LimitsProperties limits;
    private final QueueProperties queue;
    private final ObjectMapper json;
    private final RetentionProperties retention;
    private final Clock clock;
    private final dev.crucible.runtime.Languages languages;

    EvaluationController(EvaluationService service, EvaluationRepository repository, EvaluationWaiters waiters,
            LimitsProperties limits, QueueProperties queue, ObjectMapper json, Clock clock, RetentionProperties retention,
            dev.crucible.runtime.Languages languages) {
        this.languages = languages;
        this.retention = retention;
        this.service = service;
        this.repository = repository;
        this.waiters = waiters;
        this.limits = limits;
        this.queue = queue;
        this.json = json;
        this.clock = clock;
    }

    /**
     * Queues an evaluation: 202 with its id and queue position, and its address in {@code Location}.
     * With {@code ?wait=true}: the full evaluation once it has ended (200), or as it stands when the
     * wait runs out (202), without holding a thread meanwhile. {@code wait} is read from the query
     * string itself: asking the servlet for a parameter would make it parse a form-typed body.
     */
    @PostMapping("/eval")
    @Operation(summary = "Submit an evaluation", description = """
            Queues the program: 202 with its id, its place in the queue and its address in Location. \
            With ?wait=true the answer waits for the end: 200 with the whole evaluation (as GET /api/eval/{id}), \
            or 202 with it as it stands when the wait runs out. The body is read as JSON whatever its \
            Content-Type (curl -d sends a form type).""",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(
                    mediaType = "application/json", schema = @Schema(implementation = ApiModels.SubmitRequest.class))),
            parameters = @Parameter(name = "wait", in = ParameterIn.QUERY, description = "Answer once the evaluation has ended",
                    schema = @Schema(type = "boolean", defaultValue = "false")))
    @ApiResponse(responseCode = "202", description = "Queued (or, with ?wait=true, not ended when the wait ran out)",
            content = @Content(mediaType = "application/json", schema = @Schema(oneOf = {ApiModels.SubmitResponse.class,
                    EvaluationView.class})))
    @ApiResponse(responseCode = "200", description = "With ?wait=true: the evaluation has ended",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = EvaluationView.class)))
    @ApiResponse(responseCode = "400", description = "The body is not JSON", content = @Content(mediaType = "application/json",
            schema = @Schema(ref = "#/components/schemas/Error")))
    @ApiResponse(responseCode = "413", description = "The code, stdin or the whole request is larger than the platform accepts",
            content = @Content(mediaType = "application/json", schema = @Schema(ref = "#/components/schemas/Error")))
    @ApiResponse(responseCode = "422", description = "A field breaks a rule; nothing was stored", content = @Content(
            mediaType = "application/json", schema = @Schema(ref = "#/components/schemas/ValidationError")))
    @ApiResponse(responseCode = "503", description = "The queue is full, the storage is full or the database does not answer "
            + "(Retry-After says when to try again); nothing was stored", content = @Content(mediaType = "application/json",
            schema = @Schema(ref = "#/components/schemas/Error")))
    DeferredResult<ResponseEntity<Object>> submit(@RequestBody(required = false) @Parameter(hidden = true) byte[] json,
            HttpServletRequest request) {
        EvaluationService.Queued queued = queue(json);
        Evaluation e = queued.evaluation();
        URI location = URI.create("/api/eval/" + e.id());
        if (!waitRequested(request.getQueryString())) {
            DeferredResult<ResponseEntity<Object>> answer = new DeferredResult<>();
            // the answer is about the submission: an idle worker may already have claimed it
            answer.setResult(ResponseEntity.accepted().location(location).body(new SubmitResponse(e.id(),
                    EvaluationStatus.QUEUED.wire(), "Evaluation queued successfully", queued.queuePosition())));
            return answer;
        }
        Duration bound = e.runBound().plus(WAIT_SLACK)
                .plusSeconds(e.compileTimeoutSeconds() == null ? 0 : e.compileTimeoutSeconds());
        DeferredResult<ResponseEntity<Object>> result = new DeferredResult<>(bound.toMillis());
        java.util.concurrent.CompletableFuture<EvaluationStatus> ended = waiters.whenEnded(e.id());
        result.onTimeout(() -> {
            waiters.stopWaiting(e.id(), ended);
            result.setResult(current(e.id(), location));
        });
        result.onError(failure -> waiters.stopWaiting(e.id(), ended));
        // not on the thread that recorded the result: that one still has a container to remove
        ended.thenRunAsync(() -> result.setResult(current(e.id(), location)));
        return result;
    }

    static boolean waitRequested(String queryString) {
        if (queryString == null) {
            return false;
        }
        for (String pair : queryString.split("&")) {
            if (pair.equalsIgnoreCase("wait=true") || pair.equalsIgnoreCase("wait=1") || pair.equalsIgnoreCase("wait")) {
                return true;
            }
        }
        return false;
    }

    /**
     * The body is taken as bytes, whatever its content type: a client that forgot
     * "Content-Type: application/json" (curl -d sends a form type) is still understood, and its
     * JSON is never parsed as form fields. RequestSizeLimit bounds its size.
     */
    private EvaluationService.Queued queue(byte[] json) {
        SubmitRequest body = parseSubmission(json);
        return service.submit(new Submission(body.code(), language(body), body.timeout(), body.memoryLimit(),
                body.cpuLimit(), body.stdin(), PriorityField.parse(body.priority()), null,
                ListFields.args(body.args()), body.expectedOutput(), body.compareMode(), body.tolerance(),
                ListFields.files(body.files()), body.compileTimeout(), ListFields.testCases(body.testCases()),
                body.callbackUrl()));
    }

    /**
     * The language to run: {@code language}, or the configured runtime an {@code executor_image}
     * (the original API's field) names by its name, an alias or its image. An image that is not
     * configured, or one that names another language than {@code language}, is a 422: Crucible
     * runs only the images its operator configured.
     */
    private String language(SubmitRequest body) {
        if (body.executorImage() == null) {
            return body.language();
        }
        dev.crucible.runtime.Language chosen = languages.byExecutorImage(body.executorImage()).orElseThrow(() ->
                new InvalidSubmissionException(List.of(new InvalidSubmissionException.Problem("executor_image", "value_error",
                        "executor_image must name a configured runtime: " + String.join(", ", languages.names())
                                + " (or their images)", body.executorImage()))));
        if (body.language() != null && languages.find(body.language()).filter(l -> !l.equals(chosen)).isPresent()) {
            throw new InvalidSubmissionException(List.of(new InvalidSubmissionException.Problem("executor_image", "value_error",
                    "executor_image names " + chosen.name() + ", but language is " + body.language(), body.executorImage())));
        }
        return chosen.name();
    }

    private ResponseEntity<Object> current(String id, URI location) {
        Evaluation now = service.get(id);
        HttpStatus status = now.status().isTerminal() ? HttpStatus.OK : HttpStatus.ACCEPTED;
        return ResponseEntity.status(status).location(location).body(EvaluationView.of(now, service.queuePosition(now)));
    }

    private SubmitRequest parseSubmission(byte[] bytes) {
        if (bytes == null || new String(bytes, java.nio.charset.StandardCharsets.UTF_8).isBlank()) {
            throw new InvalidSubmissionException(List.of(
                    new InvalidSubmissionException.Problem("", "missing", "Field required", null)));
        }
        // strict numbers: a timeout of 30.7 is refused, not cut to 30
        SubmitRequest body = json.readerFor(SubmitRequest.class)
                .without(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .readValue(bytes);
        if (body == null) {
            throw new InvalidSubmissionException(List.of(
                    new InvalidSubmissionException.Problem("", "dict_type", "Input should be a valid dictionary (a JSON object)", null)));
        }
        return body;
    }

    @GetMapping("/eval/{evalId}")
    @Operation(summary = "An evaluation: what was submitted, where it stands and, once ended, its outcome")
    EvaluationView get(@PathVariable String evalId) {
        Evaluation e = service.get(evalId);
        return EvaluationView.of(e, service.queuePosition(e));
    }

    @GetMapping({"/eval/{evalId}/status", "/eval-status/{evalId}"})
    @Operation(summary = "Where an evaluation stands, in the original API's short form")
    StatusView status(@PathVariable String evalId) {
        Evaluation e = service.get(evalId);
        return StatusView.of(e, service.queuePosition(e));
    }

    @GetMapping("/eval/{evalId}/logs")
    @Operation(summary = "An evaluation's output so far and its state")
    LogsView logs(@PathVariable String evalId) {
        return LogsView.of(service.get(evalId));
    }

    @PostMapping({"/eval/{evalId}/cancel", "/eval/{evalId}/kill"})
    @Operation(summary = "Cancel an evaluation: a queued one never runs, a running one is stopped (an ended one stays as it ended)")
    CancelView cancel(@PathVariable String evalId) {
        EvaluationService.CancelOutcome outcome = service.cancel(evalId);
        Evaluation e = outcome.evaluation();
        if (outcome.alreadyEnded()) {
            return new CancelView(e.id(), e.status().wire(), "Evaluation already in terminal state: " + e.status().wire());
        }
        if (e.status() == EvaluationStatus.RUNNING) {
            // the worker kills the container; give it a moment so the answer is final
            java.util.concurrent.CompletableFuture<EvaluationStatus> ended = waiters.whenEnded(e.id());
            try {
                ended.get(10, java.util.concurrent.TimeUnit.SECONDS);
            } catch (Exception notYet) {
                // answer with what is known now
            } finally {
                waiters.stopWaiting(e.id(), ended);
            }
            e = service.get(evalId);
        }
        String message = switch (e.status()) {
            case CANCELLED -> "Evaluation cancelled successfully";
            case RUNNING -> "Cancellation requested; the container is being stopped";
            default -> "Evaluation ended as " + e.status().wire() + " before it could be cancelled";
        };
        return new CancelView(e.id(), e.status().wire(), message);
    }

    @GetMapping("/evaluations")
    @Operation(summary = "A page of evaluations, newest first, optionally of one status")
    ListView list(@RequestParam(defaultValue = "100") int limit, @RequestParam(defaultValue = "0") long offset,
            @RequestParam(required = false) String status) {
        List<InvalidSubmissionException.Problem> problems = new java.util.ArrayList<>();
        if (limit < 1 || limit > 1000) {
            problems.add(new InvalidSubmissionException.Problem("limit", "value_error", "limit must be between 1 and 1000", limit));
        }
        if (offset < 0) {
            problems.add(new InvalidSubmissionException.Problem("offset", "value_error", "offset must be 0 or more", offset));
        }
        EvaluationStatus filter = HistoryParams.status(status, problems);
        if (!problems.isEmpty()) {
            throw new InvalidQueryException(problems);
        }
        List<SummaryView> page = service.list(filter, limit, offset).stream().map(SummaryView::of).toList();
        long total = service.count(filter);
        return new ListView(page, total, limit, offset, offset + page.size() < total);
    }

    @GetMapping("/evaluations/running")
    @Operation(summary = "The evaluations running now")
    ListView running() {
        return list(1000, 0, EvaluationStatus.RUNNING.wire());
    }

    @GetMapping({"/queue/status", "/queue-status"})
    @Operation(summary = "How many evaluations wait and run now")
    QueueStatusView queueStatus() {
        Map<EvaluationStatus, Long> counts = repository.countByStatus();
        long queued = counts.get(EvaluationStatus.QUEUED);
        long running = counts.get(EvaluationStatus.RUNNING);
        return new QueueStatusView(queued, running, queued, queued + running, queue.maxSize(), null);
    }

    @GetMapping("/statistics")
    @Operation(summary = "Counts by status and language, run times, success rate and how far back history goes")
    StatisticsView statistics() {
        Map<EvaluationStatus, Long> counts = repository.countByStatus();
        Map<String, Long> byStatus = new LinkedHashMap<>();
        counts.forEach((s, n) -> byStatus.put(s.wire(), n));
        long total = counts.values().stream().mapToLong(Long::longValue).sum();
        long ended = counts.entrySet().stream().filter(en -> en.getKey().isTerminal()).mapToLong(Map.Entry::getValue).sum();
        double successRate = ended == 0 ? 0.0 : (double) counts.get(EvaluationStatus.COMPLETED) / ended;
        EvaluationRepository.RuntimeStats runtimes = repository.runtimeStats();
        Instant cutoff = retention.cutoff(clock.instant());
        HistoryView history = new HistoryView(retention.describe(),
                retention.keepsEverything() ? null : retention.maxAge().toSeconds(), ApiModels.iso(cutoff),
                repository.oldestCreatedAt().map(ApiModels::iso).orElse(null));
        return new StatisticsView(total, byStatus, repository.countByLanguage(), runtimes.mean(), runtimes.p95(),
                successRate, repository.countCreatedSince(clock.instant().minus(Duration.ofHours(24))), history);
    }
}
