package dev.crucible.webhooks;

import java.util.Map;

import dev.crucible.evaluation.Callback;
import dev.crucible.evaluation.Evaluation;
import dev.crucible.evaluation.EvaluationService;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import io.swagger.v3.oas.annotations.tags.Tag;

/** An admin's second chance for a callback that failed (its receiver was down past max-age, say). */
@RestController
@Tag(name = "Callbacks")
@RequestMapping("/api")
class CallbackController {

    private final EvaluationService evaluations;
    private final dev.crucible.batch.BatchDocuments batches;
    private final CallbackRetries retries;

    CallbackController(EvaluationService evaluations, dev.crucible.batch.BatchDocuments batches, CallbackRetries retries) {
        this.evaluations = evaluations;
        this.batches = batches;
        this.retries = retries;
    }

    /** 202: due again at once; 404: no such evaluation; 409: it has no failed callback. */
    @PostMapping("/eval/{evalId}/callback/retry")
    @Operation(summary = "Try the failed callback of an evaluation again, at once")
    @ApiResponse(responseCode = "202", description = "Due again now: the callback is pending", content = @Content(
            mediaType = "application/json", schema = @Schema(type = "object",
            example = "{\"eval_id\": \"20261202_224638_86911d0a\", \"callback\": {\"status\": \"pending\"}}")))
    @ApiResponse(responseCode = "409", description = "There is no failed callback to retry", content = @Content(
            mediaType = "application/json", schema = @Schema(ref = "#/components/schemas/Error")))
    ResponseEntity<Map<String, Object>> retry(@PathVariable String evalId) {
        Evaluation e = evaluations.get(evalId);
        if (!retries.retry(evalId)) {
            String message = e.callback() == null ? "Evaluation " + evalId + " has no callback_url"
                    : "The callback of " + evalId + " is " + e.callback().status() + "; only a failed one can be retried";
            return ResponseEntity.status(409).body(Map.of("detail", message, "error", message));
        }
        return ResponseEntity.accepted().body(Map.of("eval_id", evalId, "callback", Map.of("status", Callback.PENDING)));
    }

    /** The same for a batch upload's callback. */
    @PostMapping("/batches/{batchId}/callback/retry")
    @Operation(summary = "Try the failed callback of a batch again, at once")
    @ApiResponse(responseCode = "202", description = "Due again now: the callback is pending", content = @Content(
            mediaType = "application/json", schema = @Schema(type = "object",
            example = "{\"eval_id\": \"20261202_224638_86911d0a\", \"callback\": {\"status\": \"pending\"}}")))
    @ApiResponse(responseCode = "409", description = "There is no failed callback to retry", content = @Content(
            mediaType = "application/json", schema = @Schema(ref = "#/components/schemas/Error")))
    ResponseEntity<Map<String, Object>> retryBatch(@PathVariable String batchId) {
        if (batches.of(batchId).isEmpty()) {
            String message = "No batch has the id " + batchId;
            return ResponseEntity.status(404).body(Map.of("detail", message, "error", message));
        }
        if (!retries.retryBatch(batchId)) {
            String message = "Batch " + batchId + " has no failed callback; only a failed one can be retried";
            return ResponseEntity.status(409).body(Map.of("detail", message, "error", message));
        }
        return ResponseEntity.accepted().body(Map.of("batch_id", batchId, "callback", Map.of("status", Callback.PENDING)));
    }
}
