package dev.crucible.batch;

import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.crucible.evaluation.InvalidSubmissionException;
import dev.crucible.evaluation.PriorityField;
import dev.crucible.evaluation.Submission;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.Operation;
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
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;
import tools.jackson.databind.ObjectMapper;
import io.swagger.v3.oas.annotations.tags.Tag;

/** The batch API: upload, progress, results, cancel, restart; and the original's JSON batch form. */
@RestController
@Tag(name = "Batches")
@RequestMapping("/api")
class BatchController {

    private final BatchService service;
    private final BatchProgress progress;
    private final BatchRepository batches;
    private final BatchReport report;
    private final BatchProperties properties;
    private final ObjectMapper json;

    BatchController(BatchService service, BatchProgress progress, BatchRepository batches, BatchReport report,
            BatchProperties properties, ObjectMapper json) {
        this.service = service;
        this.progress = progress;
        this.batches = batches;
        this.report = report;
        this.properties = properties;
        this.json = json;
    }

    /**
     * {@code POST /api/batches} (multipart): one archive in {@code file}, or many files in {@code files};
     * optional {@code name}, and defaults for every program: {@code language}, {@code timeout},
     * {@code memory_limit}, {@code cpu_limit}, {@code priority}. Answers 202 with the batch's progress.
     */
    @PostMapping(value = "/batches", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    @Operation(summary = "Upload a batch of programs", description = "An archive (zip, tar, tar.gz) or several files; "
            + "each program becomes an evaluation. Progress at GET /api/batches/{id}")
    @ApiResponse(responseCode = "202", description = "Accepted: the batch's progress", content = @Content(
            mediaType = "application/json", schema = @Schema(implementation = BatchProgress.View.class)))
    @ApiResponse(responseCode = "400", description = "Not multipart/form-data, or an archive that cannot be read",
            content = @Content(mediaType = "application/json", schema = @Schema(ref = "#/components/schemas/Error")))
    @ApiResponse(responseCode = "413", description = "Larger than the platform accepts", content = @Content(
            mediaType = "application/json", schema = @Schema(ref = "#/components/schemas/Error")))
    ResponseEntity<BatchProgress.View> upload(@RequestParam(required = false) MultipartFile file,
            @RequestParam(required = false) List<MultipartFile> files, @RequestParam(required = false) String name,
            @RequestParam(required = false) String language, @RequestParam(required = false) String timeout,
            @RequestParam(name = "memory_limit", required = false) String memoryLimit,
            @RequestParam(name = "cpu_limit", required = false) String cpuLimit,
            @RequestParam(required = false) String priority,
            @RequestParam(name = "callback_url", required = false) String callbackUrl) {
        BatchService.Settings settings = settings(name, language, timeout, memoryLimit, cpuLimit, priority, blank(callbackUrl));
        Batch batch;
        if (file != null && !file.isEmpty()) {
            batch = service.fromArchive(file, settings);
        } else if (files != null && !files.isEmpty()) {
            batch = service.fromFiles(files, settings);
        } else {
            throw new BadArchiveException(422, "send one archive in the field 'file' or many files in the field 'files'");
        }
        return ResponseEntity.accepted().location(URI.create("/api/batches/" + batch.id())).body(progress.of(batch));
    }

    static BatchService.Settings settings(String name, String language, String timeout, String memoryLimit, String cpuLimit,
            String priority, String callbackUrl) {
        return new BatchService.Settings(name, blank(language), integer("timeout", timeout), blank(memoryLimit),
                blank(cpuLimit), integer("priority", priority), callbackUrl);
    }

    private static Integer integer(String field, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        if (value.length() > 32) {
            // refused unparsed, and not echoed whole
            throw new InvalidSubmissionException(List.of(new InvalidSubmissionException.Problem(field, "int_parsing",
                    "Input should be a valid integer of at most 32 characters", value.substring(0, 32) + "...")));
        }
        try {
            return Integer.valueOf(value.strip());
        } catch (NumberFormatException e) {
            throw new InvalidSubmissionException(List.of(new InvalidSubmissionException.Problem(field, "int_parsing",
                    "Input should be a valid integer", value)));
        }
    }

    private static String blank(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    record BatchList(List<BatchProgress.View> batches, long count, int limit, long offset, boolean hasMore) {
    }

    @GetMapping("/batches")
    @Operation(summary = "A page of batches, newest first, each with its progress")
    BatchList list(@RequestParam(defaultValue = "50") int limit, @RequestParam(defaultValue = "0") long offset) {
        int bounded = Math.max(1, Math.min(limit, 500));
        long from = Math.max(0, offset);
        List<BatchProgress.View> page = batches.list(bounded, from).stream().map(progress::of).toList();
        long count = batches.count();
        return new BatchList(page, count, bounded, from, from + page.size() < count);
    }

    @GetMapping("/batches/{id}")
    @Operation(summary = "A batch and how far it has come")
    BatchProgress.View get(@PathVariable String id) {
        return progress.of(id);
    }

    @GetMapping("/batches/{id}/results.csv")
    @Operation(summary = "A batch's results as CSV", description = "One row per program of the batch, streamed")
    @ApiResponse(responseCode = "200", description = "The rows, with a header row",
            content = @Content(mediaType = "text/csv", schema = @Schema(type = "string")))
    ResponseEntity<StreamingResponseBody> results(@PathVariable String id) {
        progress.of(id); // 404 before the stream starts
        StreamingResponseBody body = out -> report.writeCsv(id,
                new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 64 * 1024));
        return ResponseEntity.ok()
                .contentType(new MediaType("text", "csv", StandardCharsets.UTF_8))
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + id + "-results.csv\"")
                .body(body);
    }

    @PostMapping("/batches/{id}/cancel")
    @Operation(summary = "Cancel a batch: its queued evaluations never run, its running ones are stopped")
    @ApiResponse(responseCode = "200", description = "The batch now", content = @Content(mediaType = "application/json",
            schema = @Schema(implementation = BatchProgress.View.class)))
    @ApiResponse(responseCode = "409", description = "The batch has ended already (completed or cancelled)", content = @Content(
            mediaType = "application/json", schema = @Schema(ref = "#/components/schemas/Error")))
    BatchProgress.View cancel(@PathVariable String id) {
        service.cancel(id);
        return progress.of(id);
    }

    @PostMapping("/batches/{id}/restart")
    @Operation(summary = "Restart a stopped batch: it goes on from where it was interrupted")
    @ApiResponse(responseCode = "200", description = "The batch now", content = @Content(mediaType = "application/json",
            schema = @Schema(implementation = BatchProgress.View.class)))
    @ApiResponse(responseCode = "409", description = "The batch is not stopped (running, completed or cancelled), or its job cannot be restarted", content = @Content(
            mediaType = "application/json", schema = @Schema(ref = "#/components/schemas/Error")))
    BatchProgress.View restart(@PathVariable String id) {
        service.restart(id);
        return progress.of(id);
    }

    /** The original platform's JSON batch: {@code {evaluations: [<fields of POST /api/eval>]}}. */
    record EvalBatchRequest(List<Item> evaluations) {
        @Schema(name = "EvalBatchEntry", additionalProperties = Schema.AdditionalPropertiesValue.TRUE,
                description = "One evaluation, as POST /api/eval takes it (these fields)")
        record Item(@Schema(requiredMode = Schema.RequiredMode.REQUIRED) String code, String language,
                @Schema(types = {"integer", "string"}) Integer timeout, String memoryLimit, String cpuLimit, String stdin,
                @Schema(types = {"integer", "string", "boolean"}) Object priority, String callbackUrl) {
        }
    }

    @JsonInclude(JsonInclude.Include.ALWAYS)
    record EvalBatchItem(String evalId, String status, String message, Long queuePosition) {
    }

    record EvalBatchResponse(List<EvalBatchItem> evaluations, int total, int queued, int failed, String batchId) {
    }

    @PostMapping("/eval-batch")
    @Operation(summary = "Submit many evaluations at once", description = "Each entry as POST /api/eval takes it; they "
            + "are queued together as one batch", requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(
            required = true, content = @Content(mediaType = "application/json", schema = @Schema(
            implementation = EvalBatchRequest.class))))
    @ApiResponse(responseCode = "202", description = "Queued: one item per entry, in order", content = @Content(
            mediaType = "application/json", schema = @Schema(implementation = EvalBatchResponse.class)))
    @ApiResponse(responseCode = "400", description = "The body is not JSON, or holds more evaluations than crucible.batch.max-files", content = @Content(
            mediaType = "application/json", schema = @Schema(ref = "#/components/schemas/Error")))
    @ApiResponse(responseCode = "413", description = "Larger than the platform accepts", content = @Content(
            mediaType = "application/json", schema = @Schema(ref = "#/components/schemas/Error")))
    ResponseEntity<EvalBatchResponse> evalBatch(@RequestBody(required = false) @io.swagger.v3.oas.annotations.Parameter(hidden = true)
            byte[] body) {
        EvalBatchRequest request = body == null || body.length == 0 ? null : json.readValue(body, EvalBatchRequest.class);
        if (request == null || request.evaluations() == null) {
            throw new InvalidSubmissionException(List.of(new InvalidSubmissionException.Problem("evaluations", "missing",
                    "Field required", null)));
        }
        if (request.evaluations().size() > properties.maxFiles()) {
            throw new BadArchiveException(400, "Batch size " + request.evaluations().size() + " exceeds maximum of "
                    + properties.maxFiles());
        }
        if (request.evaluations().isEmpty()) {
            throw new InvalidSubmissionException(List.of(new InvalidSubmissionException.Problem("evaluations", "value_error",
                    "the batch holds no evaluations", List.of())));
        }
        // each entry is read (its priority may be refused) and checked on its own, in the service
        List<java.util.function.Supplier<Submission>> submissions = request.evaluations().stream()
                .<java.util.function.Supplier<Submission>>map(item -> () -> new Submission(item.code(), item.language(),
                        item.timeout(), item.memoryLimit(), item.cpuLimit(), item.stdin(), PriorityField.parse(item.priority()),
                        null, null, null, null, null, null, null, null, item.callbackUrl()))
                .toList();
        BatchService.JsonBatch batch = service.fromJson(submissions);
        List<EvalBatchItem> items = batch.items().stream()
                .map(item -> new EvalBatchItem(item.evalId(), item.status(), item.message(), null)).toList();
        int queued = (int) items.stream().filter(item -> "queued".equals(item.status())).count();
        return ResponseEntity.accepted().location(URI.create("/api/batches/" + batch.batchId()))
                .body(new EvalBatchResponse(items, items.size(), queued, items.size() - queued, batch.batchId()));
    }
}
