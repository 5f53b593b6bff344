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

    public DockerBackend(Sandbox sandbox, DockerDaemon daemon, RuntimeImages images, OrphanReaper reaper,
            Installation installation) {
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
        try {
            return new DockerRun(sandbox.prepare(request.named(name, labels)));
        } catch (DockerUnavailableException e) {
            throw new BackendUnavailableException(e.getMessage(), e);
        }
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
    public String imageProblem(String image) {
        RuntimeImages.ImageState state = images.state(image);
        return state == null ? null : state.problem();
    }

    /** A prepared container; Docker's errors become the seam's. */
    private record DockerRun(SandboxRun run) implements PreparedRun {

        @Override
        public SandboxOutcome execute() {
            try {
                return run.execute();
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
            run.close();
        }
    }
}
