package dev.crucible.sandbox;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.WaitResponse;
import dev.crucible.docker.Docker;
import dev.crucible.docker.DockerDaemon;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Containers started ahead of time, each waiting in its launcher for one program (see
 * crucible-launch.c's --wait), so that a run does not wait for the daemon to create and start one.
 * A pooled container takes exactly one run and is removed afterwards, whatever happened; it is
 * never used again. The pool keeps {@code size} containers ready for each shape (language and
 * limits) asked for in the last {@code idle-timeout}, refills in the background as they are taken,
 * and gives a shape's containers back when it is not asked for. A container that dies while it
 * waits is dropped and replaced, never handed out. Its containers carry the pool's labels and the
 * worker's, so the orphan reaper removes them when this process is gone.
 */
@Component
public class ContainerPool implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ContainerPool.class);

    /** One ready container and the watch on its exit while it waits. */
    record Pooled(String containerId, String name, String imageId, PoolShape shape, ResultCallback.Adapter<WaitResponse> watch) {
    }

    /** What the pool holds now, for health and the dashboard. */
    public record State(boolean enabled, int ready, int starting, long handedOut, long started, long died,
            Map<String, Integer> readyByShape, String lastProblem, long heldBytes) {
    }

    /**
     * What one waiting container holds, rounded up from bench/pool.sh's measure (0.3 MiB under
     * runc; 12 MiB under gVisor, whose guest kernel is started with the container).
     */
    static final long HELD_BYTES_RUNC = 1L << 20;
    static final long HELD_BYTES_GUEST_KERNEL = 16L << 20;

    private final Docker docker;
    private final DockerDaemon daemon;
    private final Sandbox sandbox;
    private final PoolProperties properties;
    private final ContainerOwnership ownership;
    private final Clock clock;

    private final Map<PoolShape, Deque<Pooled>> ready = new HashMap<>();
    private final Map<PoolShape, Integer> starting = new HashMap<>();
    private final Map<PoolShape, Instant> lastAsked = new HashMap<>();
    /** Every container this pool made that has not been removed yet: ready, starting or handed out. */
    private final Set<String> mine = ConcurrentHashMap.newKeySet();
    private final AtomicLong handedOut = new AtomicLong();
    private final AtomicLong started = new AtomicLong();
    private final AtomicLong died = new AtomicLong();
    private final AtomicLong sequence = new AtomicLong();
    private volatile String lastProblem;
    private volatile boolean running;
    private ExecutorService starters;
    private ExecutorService removers;
    private ScheduledExecutorService sweeper;

    public ContainerPool(Docker docker, DockerDaemon daemon, Sandbox sandbox, PoolProperties properties,
            ContainerOwnership ownership, Clock clock) {
        this.docker = docker;
        this.daemon = daemon;
        this.sandbox = sandbox;
        this.properties = properties;
        this.ownership = ownership;
        this.clock = clock;
    }

    /**
     * A ready container of {@code shape}, no longer the pool's (the caller runs one program in it
     * and then {@link #discard}s it); empty when none is ready, and then the pool makes some for
     * next time.
     */
    Optional<Pooled> take(PoolShape shape) {
        if (!running || !properties.pools(shape.language().name())) {
            return Optional.empty();
        }
        Pooled taken = null;
        synchronized (this) {
            lastAsked.put(shape, clock.instant());
            Deque<Pooled> queue = ready.get(shape);
            if (queue != null) {
                taken = queue.pollFirst();
            }
        }
        refill();
        if (taken == null) {
            return Optional.empty();
        }
        closeQuietly(taken.watch());
        handedOut.incrementAndGet();
        return Optional.of(taken);
    }

    /** Removes a container the pool handed out (in the background: no run waits for it). */
    void discard(String containerId) {
        if (removers == null || removers.isShutdown()) {
            removeNow(containerId);
            return;
        }
        try {
            removers.execute(() -> removeNow(containerId));
        } catch (java.util.concurrent.RejectedExecutionException stopping) {
            removeNow(containerId);
        }
    }

    private void removeNow(String containerId) {
        sandbox.remove(containerId);
        mine.remove(containerId);
    }

    /**
     * True while the container (by id, or by name while it is being started) is this pool's:
     * ready, starting, or running a program handed out from here.
     */
    public boolean holds(String containerId) {
        return mine.contains(containerId);
    }

    public synchronized State state() {
        Map<String, Integer> byShape = new LinkedHashMap<>();
        ready.forEach((shape, queue) -> {
            if (!queue.isEmpty()) {
                byShape.put(shape.key(), queue.size());
            }
        });
        return new State(properties.enabled(), byShape.values().stream().mapToInt(Integer::intValue).sum(),
                starting.values().stream().mapToInt(Integer::intValue).sum(), handedOut.get(), started.get(), died.get(),
                byShape, lastProblem, heldBytes());
    }

    /** What the containers waiting here (and those being started) hold of the host's memory. */
    private synchronized long heldBytes() {
        long held = 0;
        for (Map.Entry<PoolShape, Deque<Pooled>> entry : ready.entrySet()) {
            held += entry.getValue().size() * heldBytesOf(entry.getKey());
        }
        for (Map.Entry<PoolShape, Integer> entry : starting.entrySet()) {
            held += entry.getValue() * heldBytesOf(entry.getKey());
        }
        return held;
    }

    private long heldBytesOf(PoolShape shape) {
        return sandbox.separatesUsers(shape.language()) ? HELD_BYTES_GUEST_KERNEL : HELD_BYTES_RUNC;
    }

    /**
     * Starts what the shapes asked for lately are short of, in the background, the most recently
     * asked first. When {@code max-idle} is reached, a shape asked for more recently takes the
     * place of a ready container of the shape asked for least recently.
     */
    void refill() {
        if (!running || !daemon.isUp()) {
            return;
        }
        List<PoolShape> wanted = new java.util.ArrayList<>();
        List<Pooled> evicted = new java.util.ArrayList<>();
        synchronized (this) {
            int idle = 0;
            for (Deque<Pooled> queue : ready.values()) {
                idle += queue.size();
            }
            for (int n : starting.values()) {
                idle += n;
            }
            Instant since = clock.instant().minus(properties.idleTimeout());
            List<Map.Entry<PoolShape, Instant>> recentFirst = lastAsked.entrySet().stream()
                    .filter(asked -> !asked.getValue().isBefore(since))
                    .sorted(Map.Entry.<PoolShape, Instant>comparingByValue().reversed())
                    .toList();
            for (Map.Entry<PoolShape, Instant> asked : recentFirst) {
                PoolShape shape = asked.getKey();
                int have = ready.getOrDefault(shape, new ArrayDeque<>()).size() + starting.getOrDefault(shape, 0);
                for (; have < properties.size(); have++, idle++) {
                    if (idle >= properties.maxIdle()) {
                        Pooled victim = leastRecentlyAsked(asked.getValue());
                        if (victim == null) {
                            break;
                        }
                        evicted.add(victim);
                        idle--;
                    }
                    starting.merge(shape, 1, Integer::sum);
                    wanted.add(shape);
                }
            }
        }
        for (Pooled pooled : evicted) {
            closeQuietly(pooled.watch());
            discard(pooled.containerId());
        }
        for (PoolShape shape : wanted) {
            try {
                starters.execute(() -> startOne(shape));
            } catch (java.util.concurrent.RejectedExecutionException stopping) {
                synchronized (this) {
                    starting.merge(shape, -1, Integer::sum);
                }
            }
        }
    }

    /** Takes a ready container of the shape asked for least recently, before {@code than}; null when there is none. */
    private Pooled leastRecentlyAsked(Instant than) {
        PoolShape oldest = null;
        for (Map.Entry<PoolShape, Deque<Pooled>> entry : ready.entrySet()) {
            Instant asked = lastAsked.getOrDefault(entry.getKey(), Instant.MIN);
            if (!entry.getValue().isEmpty() && asked.isBefore(than)
                    && (oldest == null || asked.isBefore(lastAsked.getOrDefault(oldest, Instant.MIN)))) {
                oldest = entry.getKey();
            }
        }
        return oldest == null ? null : ready.get(oldest).pollLast();
    }

    private void startOne(PoolShape shape) {
        String name = (shape.language().name() + "-pool-" + ownership.workerId() + "-" + sequence.incrementAndGet())
                .toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9_.-]", "");
        Map<String, String> labels = Map.of(
                SandboxLabels.POOL, shape.key(),
                SandboxLabels.INSTALLATION, ownership.installationId(),
                SandboxLabels.WORKER, ownership.workerId());
        Pooled pooled = null;
        // by name until its create answers; so is the container that may check the launcher volume first
        String checker = name + Sandbox.LAUNCHER_CHECK_SUFFIX;
        try {
            mine.add(name);
            mine.add(checker);
            String[] ids = sandbox.startPooled(shape, name, labels);
            mine.add(ids[0]);
            mine.remove(name);
            mine.remove(checker);
            started.incrementAndGet();
            Watch watch = new Watch();
            pooled = new Pooled(ids[0], name, ids[1], shape, watch);
            watch.pooled = pooled;
            docker.streams().waitContainerCmd(ids[0]).exec(watch);
            lastProblem = null;
        } catch (RuntimeException e) {
            mine.remove(name);
            mine.remove(checker);
            lastProblem = e.getMessage();
            log.warn("Could not start a pooled {} container: {}", shape.key(), e.getMessage());
        } finally {
            boolean keep;
            synchronized (this) {
                starting.merge(shape, -1, Integer::sum);
                // a shape given back while this container started (a start longer than the idle
                // timeout) wants it no more: kept, it would wait with nothing to sweep it away
                keep = pooled != null && running && lastAsked.containsKey(shape);
                if (keep) {
                    ready.computeIfAbsent(shape, s -> new ArrayDeque<>()).addLast(pooled);
                }
            }
            if (pooled != null && !keep) {
                closeQuietly(pooled.watch());
                discard(pooled.containerId());
            }
        }
    }

    /** A ready container that exited while it waited: never handed out; it is replaced. */
    private void lost(Pooled pooled, String why) {
        boolean wasReady;
        synchronized (this) {
            Deque<Pooled> queue = ready.get(pooled.shape());
            wasReady = queue != null && queue.remove(pooled);
        }
        if (wasReady) {
            died.incrementAndGet();
            log.warn("Pooled container {} ended while it waited ({}); it is replaced", pooled.name(), why);
            discard(pooled.containerId());
            refill();
        }
    }

    /** Gives back the containers of shapes not asked for within the idle timeout. */
    void sweep() {
        List<Pooled> idle = new java.util.ArrayList<>();
        synchronized (this) {
            Instant since = clock.instant().minus(properties.idleTimeout());
            lastAsked.entrySet().removeIf(asked -> {
                if (!asked.getValue().isBefore(since)) {
                    return false;
                }
                Deque<Pooled> queue = ready.remove(asked.getKey());
                if (queue != null) {
                    idle.addAll(queue);
                }
                return true;
            });
        }
        for (Pooled pooled : idle) {
            closeQuietly(pooled.watch());
            discard(pooled.containerId());
        }
        if (!idle.isEmpty()) {
            log.info("Gave back {} pooled container(s) not asked for in {}", idle.size(), properties.idleTimeout());
        }
    }

    /** Drops every ready container (the daemon went away, or the pool stops). */
    private void drain() {
        List<Pooled> all = new java.util.ArrayList<>();
        synchronized (this) {
            ready.values().forEach(all::addAll);
            ready.clear();
        }
        for (Pooled pooled : all) {
            closeQuietly(pooled.watch());
            removeNow(pooled.containerId());
        }
    }

    @Override
    public void start() {
        running = true;
        starters = Executors.newFixedThreadPool(properties.starters(), daemonThreads("crucible-pool-start"));
        removers = Executors.newSingleThreadExecutor(daemonThreads("crucible-pool-remove"));
        sweeper = Executors.newSingleThreadScheduledExecutor(daemonThreads("crucible-pool-sweep"));
        long every = Math.max(100, Math.min(5_000, properties.idleTimeout().toMillis() / 2));
        sweeper.scheduleWithFixedDelay(this::sweepQuietly, every, every, TimeUnit.MILLISECONDS);
        // back from an outage: what was ready may be gone with the daemon; start afresh (on the
        // pool's own thread: the daemon's listeners, the dispatcher among them, must not wait on Docker calls)
        daemon.addListener(() -> removers.execute(() -> {
            drain();
            refill();
        }));
    }

    private void sweepQuietly() {
        try {
            sweep();
            refill();
        } catch (RuntimeException e) {
            log.warn("Pool sweep failed: {}", e.toString());
        }
    }

    @Override
    public void stop() {
        running = false;
        sweeper.shutdownNow();
        finish(starters);
        drain();
        finish(removers);
    }

    /** Lets what an executor was given finish (10 s at most), taking nothing new. */
    private static void finish(ExecutorService executor) {
        executor.shutdown();
        try {
            executor.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Starts after the daemon check and before the dispatcher; stops after the dispatcher has handed runs back. */
    @Override
    public int getPhase() {
        return 7;
    }

    private final class Watch extends ResultCallback.Adapter<WaitResponse> {
        volatile Pooled pooled;

        @Override
        public void onNext(WaitResponse response) {
            if (pooled != null) {
                lost(pooled, "exit status " + response.getStatusCode());
            }
        }

        @Override
        public void onError(Throwable throwable) {
            if (pooled != null && running) {
                lost(pooled, throwable.getMessage());
            }
        }
    }

    private static java.util.concurrent.ThreadFactory daemonThreads(String name) {
        AtomicLong count = new AtomicLong();
        return r -> {
            Thread t = new Thread(r, name + "-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            // a watch that will not close ends with its container
        }
    }
}
