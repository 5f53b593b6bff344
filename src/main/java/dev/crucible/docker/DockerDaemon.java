package dev.crucible.docker;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import dev.crucible.node.NodeRole;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Knows whether the Docker daemon answers. It pings on its own thread (fast while the daemon
 * is down, slower while it is up), and anyone whose Docker call failed to connect reports it
 * here, so the dispatcher stops claiming work at once and resumes as soon as the daemon is back.
 */
@Component
public class DockerDaemon implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(DockerDaemon.class);

    /** Told when the daemon starts answering again. */
    public interface Listener {
        void dockerAvailable();
    }

    public record State(boolean up, String reason, String version, Instant checkedAt) {
    }

    private final Docker docker;
    private final DockerProperties properties;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private volatile State state = new State(false, "not checked yet", null, Instant.EPOCH);
    private volatile Long hostMemoryBytes;
    private final java.util.concurrent.atomic.AtomicInteger consecutiveFailures = new java.util.concurrent.atomic.AtomicInteger();
    private volatile Instant quietUntil = Instant.EPOCH;
    private ScheduledExecutorService pinger;

    private final boolean watched;

    public DockerDaemon(Docker docker, DockerProperties properties) {
        this(docker, properties, true);
    }

    /** @param watched whether this process runs evaluations and so watches the daemon (not an api node) */
    @Autowired
    public DockerDaemon(Docker docker, DockerProperties properties, NodeRole role) {
        this(docker, properties, role.role().runsEvaluations());
    }

    private DockerDaemon(Docker docker, DockerProperties properties, boolean watched) {
        this.docker = docker;
        this.properties = properties;
        this.watched = watched;
    }

    /** The Docker host's memory as the daemon reports it; null until it has answered once. */
    public Long hostMemoryBytes() {
        return hostMemoryBytes;
    }

    public State state() {
        return state;
    }

    public boolean isUp() {
        return state.up();
    }

    public void addListener(Listener listener) {
        listeners.add(listener);
    }

    /** A Docker call failed to connect: treat the daemon as down until a ping says otherwise. */
    public void reportUnreachable(Throwable failure) {
        reportFailure("unreachable", failure);
    }

    /**
     * A Docker call failed because of the daemon (it did not answer, or answered with a server
     * error such as a full disk): treat it as down, and wait before pinging again, longer after
     * each outage in a row (1 s, 2 s, 4 s ... 60 s: back, then failing again before a container
     * was started), so that a daemon that answers pings but fails every container does not make
     * the dispatcher spin. Only the call that finds the daemon up counts: the calls that fail
     * with it (the pool's, the reaper's, every run's) are the same outage, not more of them.
     */
    public synchronized void reportFailure(String what, Throwable failure) {
        if (!state.up()) {
            return;
        }
        log.warn("Docker daemon at {} failed ({}): {}", properties.host(), what, rootMessage(failure));
        int failures = consecutiveFailures.incrementAndGet();
        long backoffMillis = Math.min(60_000L, 1000L << Math.min(failures - 1, 6));
        quietUntil = Instant.now().plusMillis(backoffMillis);
        state = new State(false, what + ": " + rootMessage(failure), null, Instant.now());
    }

    /** A container was made and started: the daemon really works, forget earlier failures. */
    public void reportWorking() {
        if (consecutiveFailures.get() != 0) {
            consecutiveFailures.set(0);
        }
    }

    private volatile java.util.Set<String> runtimes;
    private volatile Instant runtimesCheckedAt = Instant.EPOCH;

    /**
     * The OCI runtimes the engine knows (runc, and runsc once gVisor is registered), looked at
     * most every 10 s; empty when the daemon does not answer.
     */
    public java.util.Set<String> runtimes() {
        if (runtimes == null || runtimesCheckedAt.plusSeconds(10).isBefore(Instant.now())) {
            try {
                var known = docker.pings().infoCmd().exec().getRuntimes();
                runtimes = known == null ? java.util.Set.of() : java.util.Set.copyOf(known.keySet());
            } catch (RuntimeException e) {
                return java.util.Set.of();
            }
            runtimesCheckedAt = Instant.now();
        }
        return runtimes;
    }

    /** Pings the daemon now and returns what it found. */
    public State check() {
        State before = state;
        State now;
        try {
            String version = docker.pings().versionCmd().exec().getVersion();
            if (hostMemoryBytes == null) {
                hostMemoryBytes = docker.pings().infoCmd().exec().getMemTotal();
            }
            now = new State(true, null, version, Instant.now());
        } catch (RuntimeException e) {
            now = new State(false, "unreachable: " + rootMessage(e), null, Instant.now());
        }
        state = now;
        if (now.up() && !before.up()) {
            log.info("Docker daemon {} answers at {}", now.version(), properties.host());
            listeners.forEach(Listener::dockerAvailable);
        } else if (!now.up() && (before.up() || before.checkedAt().equals(Instant.EPOCH))) {
            log.warn("Docker daemon at {} does not answer ({}); evaluations stay queued until it does",
                    properties.host(), now.reason());
        }
        return now;
    }

    /**
     * Runs every {@code down-ping-interval}: pings while the daemon is down (so work resumes soon
     * after it is back, also when a failed call, not a ping, found it down), and only every
     * {@code ping-interval} while it is up.
     */
    private void tick() {
        State current = state;
        Instant now = Instant.now();
        if (now.isBefore(quietUntil)) {
            return;
        }
        if (!current.up() || !current.checkedAt().plus(properties.pingInterval()).isAfter(now)) {
            try {
                check();
            } catch (RuntimeException e) {
                // a listener failed; the next tick must still come
                log.error("Docker daemon check failed", e);
            }
        }
    }

    static String rootMessage(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return message == null ? root.getClass().getSimpleName() : message;
    }

    @Override
    public void start() {
        pinger = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "docker-ping");
            t.setDaemon(true);
            return t;
        });
        check();
        long period = properties.downPingInterval().toMillis();
        pinger.scheduleWithFixedDelay(this::tick, period, period, TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() {
        pinger.shutdownNow();
    }

    @Override
    public boolean isRunning() {
        return pinger != null && !pinger.isShutdown();
    }

    @Override
    public boolean isAutoStartup() {
        return watched;
    }

    @Override
    public int getPhase() {
        // before the dispatcher (which starts later and stops earlier)
        return 0;
    }
}
