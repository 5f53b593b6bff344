package dev.crucible.docker;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import com.github.dockerjava.api.DockerClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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

    private final DockerClient docker;
    private final DockerProperties properties;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private volatile State state = new State(false, "not checked yet", null, Instant.EPOCH);
    private ScheduledExecutorService pinger;

    public DockerDaemon(DockerClient docker, DockerProperties properties) {
        this.docker = docker;
        this.properties = properties;
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
        if (state.up()) {
            log.warn("Docker daemon at {} stopped answering: {}", properties.host(), rootMessage(failure));
        }
        state = new State(false, "unreachable: " + rootMessage(failure), null, Instant.now());
    }

    /** Pings the daemon now and returns what it found. */
    public State check() {
        State before = state;
        State now;
        try {
            String version = docker.versionCmd().exec().getVersion();
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
        if (!current.up() || !current.checkedAt().plus(properties.pingInterval()).isAfter(Instant.now())) {
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
    public int getPhase() {
        // before the dispatcher (which starts later and stops earlier)
        return 0;
    }
}
