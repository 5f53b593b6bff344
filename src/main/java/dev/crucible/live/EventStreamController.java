package dev.crucible.live;

import java.util.Map;

import dev.crucible.evaluation.EvaluationService;
import dev.crucible.node.ServesUsers;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * {@code GET /api/eval/{id}/events}: an evaluation's events as they happen ({@code
 * text/event-stream}): {@code status} when it moves (queued with its position, running, ended),
 * {@code output} with each stretch of stdout or stderr as the program writes it, and a last
 * {@code result} with the same document as {@code GET /api/eval/{id}}; then the stream ends.
 * {@link LiveEvents} says how ids and reconnects work.
 */
@RestController
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
    ResponseEntity<SseEmitter> events(@PathVariable String evalId,
            @RequestHeader(value = "Last-Event-ID", required = false) String lastEventId) {
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
                .contentType(MediaType.APPLICATION_JSON).body(Map.of("detail", e.getMessage()));
    }
}
