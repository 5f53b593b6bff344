package dev.crucible.dispatch;

import java.util.List;
import java.util.Map;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.swagger.v3.oas.annotations.Operation;

/**
 * {@code GET /api/workers}: every worker of the installation, as the worker table has it;
 * {@code POST /api/workers/{id}/drain} and {@code /resume}.
 */
@RestController
@Tag(name = "Workers")
@RequestMapping("/api")
class WorkersController {

    record WorkerView(String id, String host, String state, int slots, int slotsInUse, long evaluationsDone,
            long evaluationsFailed, String dockerVersion, List<String> images, String startedAt, String lastHeartbeat,
            Integer poolReady, Long poolHandedOut) {
    }

    private final WorkerRepository workers;

    WorkersController(WorkerRepository workers) {
        this.workers = workers;
    }

    /** Drain: the worker claims nothing new and finishes what it runs (it notices within a heartbeat). */
    @PostMapping("/workers/{id}/drain")
    @Operation(summary = "Drain a worker: it takes nothing new and finishes what it runs")
    ResponseEntity<Map<String, Object>> drain(@PathVariable String id) {
        return setState(id, "draining");
    }

    @PostMapping("/workers/{id}/resume")
    @Operation(summary = "Resume a drained worker: it takes work again")
    ResponseEntity<Map<String, Object>> resume(@PathVariable String id) {
        return setState(id, "running");
    }

    private ResponseEntity<Map<String, Object>> setState(String id, String state) {
        if (!workers.setLiveState(id, state)) {
            String message = "No live worker " + id + " (a stopped or dead worker cannot be drained or resumed)";
            return ResponseEntity.status(404).body(Map.of("detail", message, "error", message));
        }
        return ResponseEntity.ok(Map.of("id", id, "state", state));
    }

    @GetMapping("/workers")
    @Operation(summary = "Every worker of the installation: its state, slots, counts, Docker version, images and pool")
    Map<String, Object> workers() {
        List<WorkerView> views = workers.all().stream().map(w -> new WorkerView(w.id(), w.host(), w.state(), w.slots(),
                w.slotsInUse(), w.done(), w.failed(), w.dockerVersion(), w.images(), w.startedAt().toString(),
                w.heartbeatAt().toString(), w.poolReady(), w.poolHandedOut())).toList();
        return Map.of("workers", views, "count", views.size());
    }
}
