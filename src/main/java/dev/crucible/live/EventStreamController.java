package dev.crucible.live;

import java.util.Map;

import dev.crucible.evaluation.EvaluationService;
import dev.crucible.node.ServesUsers;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import io.swagger.v3.oas.annotations.tags.Tag;

/**
 * {@code GET /api/eval/{id}/events}: an evaluation's events as they happen ({@code
 * text/event-stream}): {@code status} when it moves (queued with its position, running, ended),
 * {@code output} with each stretch of stdout or stderr as the program writes it, and a last
 * {@code result} with the same document as {@code GET /api/eval/{id}}; then the stream ends.
 * {@link LiveEvents} says how ids and reconnects work.
 */
@RestController
@Tag(name = "Live output")
@ServesUsers
@RequestMapping("/api")
class EventStreamController {

    private final EvaluationService evaluations;
    private final LiveEvents live;

    EventStreamController(EvaluationService evaluations, LiveEvents live) {
        this.evaluations = evaluations;
        this.live = live;
    }

    @GetMapping(value = "/eval/{evalId}/events", produces = {MediaType.TEXT_EVENT_STREAM_VALUE, MediaType.APPLICATION_JSON_VALUE})
    @Operation(summary = "Follow an evaluation as server-sent events", description = """
            event: status, data {"eval_id", "status", "queue_position" (queued), "attempt"} when it moves; \
            event: output, id <attempt>:<offset>, data {"stream": "stdout" | "stderr" | "mixed", "text"} as the program \
            writes (put together: exactly the evaluation's output); event: result, id <attempt>:end, data: the \
            evaluation as GET /api/eval/{id} gives it; then the stream ends. Reconnect with Last-Event-ID to go on \
            after the last event you had, nothing missed and nothing twice.""",
            parameters = @Parameter(name = "Last-Event-ID", in = ParameterIn.HEADER, description = "The id of the last "
                    + "event you had: the stream goes on after it", schema = @Schema(type = "string", example = "1:42")))
    @ApiResponse(responseCode = "200", description = "The stream", content = @Content(mediaType = "text/event-stream",
            schema = @Schema(type = "string"), examples = @ExampleObject(value = """
                    event:status
                    data:{"eval_id":"20261202_224638_86911d0a","status":"running","attempt":1}

                    event:output
                    id:1:7
                    data:{"stream":"stdout","text":"line 0\\n"}

                    event:result
                    id:1:end
                    data:{"eval_id":"20261202_224638_86911d0a","status":"completed","output":"line 0\\n", "...": "..."}
                    """)))
    @ApiResponse(responseCode = "204", description = "Last-Event-ID was the result's: there is nothing more (an EventSource stops)")
    @ApiResponse(responseCode = "503", description = "This node serves crucible.live.max-streams streams already, or the "
            + "database does not answer; Retry-After says when to try again", content = @Content(mediaType = "application/json",
            schema = @Schema(ref = "#/components/schemas/Error")))
    ResponseEntity<SseEmitter> events(@PathVariable String evalId,
            @RequestHeader(value = "Last-Event-ID", required = false) @Parameter(hidden = true) String lastEventId) {
        evaluations.get(evalId);
        return live.open(evalId, lastEventId)
                .map(emitter -> ResponseEntity.ok().contentType(MediaType.TEXT_EVENT_STREAM)
                        .header(HttpHeaders.CACHE_CONTROL, "no-store")
                        .header("X-Accel-Buffering", "no")
                        .body(emitter))
                .orElseGet(() -> ResponseEntity.noContent().build());
    }

    @ExceptionHandler(LiveEvents.TooManyStreamsException.class)
    ResponseEntity<Map<String, String>> tooMany(LiveEvents.TooManyStreamsException e) {
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).header(HttpHeaders.RETRY_AFTER, "5")
                .contentType(MediaType.APPLICATION_JSON).body(Map.of("detail", e.getMessage(), "error", e.getMessage()));
    }
}
