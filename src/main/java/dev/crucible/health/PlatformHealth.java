package dev.crucible.health;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.crucible.docker.DockerDaemon;
import dev.crucible.node.NodeRole;
import dev.crucible.runtime.RuntimeImages;
import dev.crucible.storage.StorageSpace;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The state of what the platform depends on: its database, the Docker daemon, the runtime
 * images and room in the storage folder. Each is {@code "healthy"} or a sentence saying what is wrong.
 */
@Component
public class PlatformHealth {

    public static final String HEALTHY = "healthy";

    public record Report(boolean healthy, Instant timestamp, Map<String, String> services) {
    }

    private final JdbcClient jdbc;
    private final DockerDaemon docker;
    private final RuntimeImages images;
    private final StorageSpace storage;
    private final boolean runsEvaluations;

    private final dev.crucible.sandbox.SandboxProperties sandbox;
    private final dev.crucible.runtime.Languages languages;

    public PlatformHealth(JdbcClient jdbc, DockerDaemon docker, RuntimeImages images, StorageSpace storage, NodeRole role,
            dev.crucible.sandbox.SandboxProperties sandbox, dev.crucible.runtime.Languages languages) {
        this.sandbox = sandbox;
        this.languages = languages;
        this.storage = storage;
        this.runsEvaluations = role.role().runsEvaluations();
        this.jdbc = jdbc;
        this.docker = docker;
        this.images = images;
    }

    public Report report() {
        Map<String, String> services = new LinkedHashMap<>();
        services.put("database", database());
        if (runsEvaluations) {
            // an api node needs no Docker daemon: the workers have theirs
            services.put("docker", docker());
            services.put("images", images());
            services.put("runtime", runtime());
        }
        services.put("storage", storage());
        boolean healthy = services.values().stream().allMatch(HEALTHY::equals);
        return new Report(healthy, Instant.now(), services);
    }

    public String database() {
        try {
            jdbc.sql("SELECT 1").query(Integer.class).single();
            return HEALTHY;
        } catch (RuntimeException e) {
            return "unavailable: " + e.getMessage();
        }
    }

    public String docker() {
        DockerDaemon.State state = docker.state();
        return state.up() ? HEALTHY : "down: " + state.reason();
    }

    /**
     * The OCI runtimes the sandboxes run under ({@code crucible.sandbox.runtime}, and any a
     * language names), each as {@code runtime: languages}.
     */
    public Map<String, List<String>> runtimesInUse() {
        Map<String, List<String>> inUse = new java.util.TreeMap<>();
        for (dev.crucible.runtime.Language language : languages.all()) {
            inUse.computeIfAbsent(sandbox.runtimeOf(language), r -> new java.util.ArrayList<>()).add(language.name());
        }
        return inUse;
    }

    /** Healthy when the engine knows every runtime in use (runsc must be registered with it: README). */
    public String runtime() {
        if (!docker.isUp()) {
            return "unknown: the Docker daemon does not answer";
        }
        java.util.Set<String> known = docker.runtimes();
        List<String> missing = runtimesInUse().keySet().stream().filter(r -> !known.contains(r)).toList();
        return missing.isEmpty() ? HEALTHY
                : "missing: the Docker engine does not know the runtime " + String.join(", ", missing)
                        + " (for gVisor: deploy/dev/ensure-gvisor.sh registers runsc)";
    }

    public String storage() {
        String reason = storage.fullReason();
        return reason == null ? HEALTHY : "full: " + reason;
    }

    public String images() {
        List<RuntimeImages.ImageState> missing = images.missing();
        if (missing.isEmpty()) {
            return HEALTHY;
        }
        return "missing: " + String.join("; ", missing.stream().map(s -> s.image() + " (" + s.problem() + ")").toList());
    }
}
