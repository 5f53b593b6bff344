package dev.crucible.health;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.crucible.dispatch.Dispatcher;
import dev.crucible.security.DetailViewers;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import io.swagger.v3.oas.annotations.tags.Tag;

/**
 * {@code GET /health}, in the original platform's shape: {@code {status: "healthy"|"unhealthy",
 * timestamp, services: {database, docker, images}}}; 503 when unhealthy, so load balancers and
 * container health checks can use it as it is. What each service says (error texts, image and
 * registry names) is shown only to this machine, an API key or the admin's session; strangers get
 * the overall status.
 */
@RestController
@Tag(name = "Health")
class HealthController {

    private final PlatformHealth health;
    private final ObjectProvider<Dispatcher> dispatcher;
    private final dev.crucible.sandbox.ContainerPool pool;

    HealthController(PlatformHealth health, ObjectProvider<Dispatcher> dispatcher, dev.crucible.sandbox.ContainerPool pool) {
        this.health = health;
        this.dispatcher = dispatcher;
        this.pool = pool;
    }

    @GetMapping({"/health", "/api/health"})
    @Operation(summary = "Whether the platform can take and run work", description = "status and timestamp for anyone; "
            + "services (database, docker, images, runtime, storage), the memory budget, the pool and the sandbox runtime "
            + "for an API key, the admin, or a client on this host")
    @ApiResponse(responseCode = "200", description = "Healthy", content = @Content(mediaType = "application/json",
            schema = @Schema(type = "object", example = "{\"status\": \"healthy\", \"timestamp\": \"2026-12-02T22:46:23Z\"}")))
    @ApiResponse(responseCode = "503", description = "Not healthy: services says which part is not",
            content = @Content(mediaType = "application/json", schema = @Schema(type = "object",
                    example = "{\"status\": \"unhealthy\", \"services\": {\"docker\": \"unhealthy\"}}")))
    ResponseEntity<Map<String, Object>> health(HttpServletRequest request) {
        PlatformHealth.Report report = health.report();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", report.healthy() ? "healthy" : "unhealthy");
        body.put("timestamp", report.timestamp().toString());
        if (DetailViewers.mayViewDetails(request)) {
            body.put("services", report.services());
            // a node that runs evaluations (an api node has no dispatcher)
            dispatcher.ifAvailable(d -> {
                Dispatcher.MemoryUse memory = d.memoryUse();
                body.put("memory_budget", Map.of("budget_bytes", memory.budgetBytes(), "in_use_bytes", memory.inUseBytes(),
                        "running", d.running()));
                body.put("pool", pool(pool.state()));
                body.put("sandbox_runtime", health.runtimesInUse());
            });
        }
        return ResponseEntity.status(report.healthy() ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE).body(body);
    }

    /** The pre-started containers of this process: ready now, being started, and since it started. */
    static Map<String, Object> pool(dev.crucible.sandbox.ContainerPool.State state) {
        Map<String, Object> pool = new LinkedHashMap<>();
        pool.put("enabled", state.enabled());
        pool.put("ready", state.ready());
        pool.put("starting", state.starting());
        pool.put("held_bytes", state.heldBytes());
        pool.put("ready_by_shape", state.readyByShape());
        pool.put("handed_out", state.handedOut());
        pool.put("started", state.started());
        pool.put("died_waiting", state.died());
        pool.put("last_problem", state.lastProblem());
        return pool;
    }
}
