package dev.crucible.sandbox;

import java.util.Locale;
import java.util.Map;

import dev.crucible.docker.DockerDaemon;
import dev.crucible.docker.DockerUnavailableException;
import dev.crucible.runtime.RuntimeImages;
import dev.crucible.storage.Installation;
import org.springframework.stereotype.Component;

/**
 * The execution backend on the host's Docker daemon: one fresh sibling container per run
 * ({@link Sandbox}, {@link SandboxRun}), the daemon's availability ({@link DockerDaemon}), image
 * digests ({@link RuntimeImages}) and the orphan reaper as the janitor.
 */
@Component
public class DockerBackend implements ExecutionBackend {

    private final Sandbox sandbox;
    private final DockerDaemon daemon;
    private final RuntimeImages images;
    private final OrphanReaper reaper;
    private final Installation installation;
    private final ContainerPool pool;
    private final SandboxProperties properties;

    public DockerBackend(Sandbox sandbox, DockerDaemon daemon, RuntimeImages images, OrphanReaper reaper,
            Installation installation, ContainerPool pool, SandboxProperties properties) {
        this.pool = pool;
        this.properties = properties;
        this.sandbox = sandbox;
        this.daemon = daemon;
        this.images = images;
        this.reaper = reaper;
        this.installation = installation;
    }

    /**
     * One container per stage of an evaluation, named readably ({@code python-eval-<id>},
     * {@code c-compile-<id>}) so that a second one of the same stage cannot exist beside it, and
     * labelled so that the reaper finds it.
     */
    @Override
    public PreparedRun prepare(SandboxRequest request, RunOwner owner) {
        String stage = request.stage() == SandboxRequest.Stage.COMPILE ? "-compile-" : "-eval-";
        String name = (request.language().name() + stage + owner.evalId()).toLowerCase(Locale.ROOT);
        Map<String, String> labels = Map.of(
                SandboxLabels.EVAL_ID, owner.evalId(),
                SandboxLabels.INSTALLATION, installation.id(),
                SandboxLabels.WORKER, owner.workerId(),
                SandboxLabels.ATTEMPT, Integer.toString(owner.attempt()));
        SandboxRequest named = request.named(name, labels);
        try {
            if (poolable(named)) {
                ContainerPool.Pooled pooled = pool.take(PoolShape.of(named)).orElse(null);
                if (pooled != null) {
                    try {
                        return new DockerRun(sandbox.preparePooled(named, pooled.containerId(), pooled.imageId()),
                                () -> pool.discard(pooled.containerId()));
                    } catch (RuntimeException e) {
                        pool.discard(pooled.containerId());
                        throw e;
                    }
                }
            }
            SandboxRun fresh = sandbox.prepare(named);
            return new DockerRun(fresh, fresh::close);
        } catch (DockerUnavailableException e) {
            throw new BackendUnavailableException(e.getMessage(), e);
        }
    }

    /**
     * A program's run (not a compiler's) whose collected folder is the one every pooled container
     * has: it can take a pooled container of its shape.
     */
    private boolean poolable(SandboxRequest request) {
        return request.stage() == SandboxRequest.Stage.RUN && request.collect() != null
                && SandboxRequest.OUTPUT_DIR.equals(request.collect().dir())
                && request.collect().maxBytes() == properties.artifactsSize().toBytes();
    }

    @Override
    public boolean isAvailable() {
        return daemon.isUp();
    }

    @Override
    public void addListener(Listener listener) {
        daemon.addListener(listener::backendAvailable);
    }

    @Override
    public int reapLeftovers() {
        return reaper.reap();
    }

    @Override
    public void removeLeftoversOf(String evalId) {
        reaper.removeContainersOf(evalId);
    }

    @Override
    public String imageDigest(String image, String imageId) {
        return images.digestOf(image, imageId);
    }

    @Override
    public Readiness readiness() {
        ContainerPool.State state = pool.state();
        return state.enabled() ? new Readiness(true, state.ready(), state.handedOut(), state.heldBytes()) : Readiness.NONE;
    }

    @Override
    public String imageProblem(String image) {
        RuntimeImages.ImageState state = images.state(image);
        return state == null ? null : state.problem();
    }

    /**
     * A prepared container; Docker's errors become the seam's. Closing removes the container: a
     * fresh one at once, a pooled one in the pool's background (no one waits for it).
     */
    private record DockerRun(SandboxRun run, Runnable remove) implements PreparedRun {

        @Override
        public SandboxOutcome execute(OutputListener live) {
            try {
                return run.execute(live);
            } catch (DockerUnavailableException e) {
                throw new BackendUnavailableException(e.getMessage(), e);
            }
        }

        @Override
        public void cancel() {
            run.cancel();
        }

        @Override
        public void close() {
            remove.run();
        }
    }
}
