package dev.crucible.dispatch;

import java.util.List;
import java.util.Map;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /api/workers}: every worker of the installation, as the worker table has it. */
@RestController
@RequestMapping("/api")
class WorkersController {

    record WorkerView(String id, String host, String state, int slots, int slotsInUse, long evaluationsDone,
            long evaluationsFailed, String dockerVersion, List<String> images, String startedAt, String lastHeartbeat) {
    }

    private final WorkerRepository workers;

    WorkersController(WorkerRepository workers) {
        this.workers = workers;
    }

    @GetMapping("/workers")
    Map<String, Object> workers() {
        List<WorkerView> views = workers.all().stream().map(w -> new WorkerView(w.id(), w.host(), w.state(), w.slots(),
                w.slotsInUse(), w.done(), w.failed(), w.dockerVersion(), w.images(), w.startedAt().toString(),
                w.heartbeatAt().toString())).toList();
        return Map.of("workers", views, "count", views.size());
    }
}
