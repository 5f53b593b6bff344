package dev.crucible.runtime;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import com.github.dockerjava.api.command.InspectImageResponse;
import com.github.dockerjava.api.command.PullImageResultCallback;
import com.github.dockerjava.api.model.AuthConfig;
import com.github.dockerjava.api.exception.NotFoundException;
import dev.crucible.docker.Docker;
import dev.crucible.docker.DockerDaemon;
import dev.crucible.docker.DockerUnavailableException;
import dev.crucible.registry.RegistryAuthException;
import dev.crucible.registry.RegistryCredentials;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Knows which configured runtime images are present on the Docker host. It checks at start-up and
 * then periodically (pulling a missing image when the pull policy says so), and reports missing
 * images in health instead of failing the start: the platform keeps accepting work meanwhile.
 */
@Component
public class RuntimeImages implements DockerDaemon.Listener {

    private static final Logger log = LoggerFactory.getLogger(RuntimeImages.class);

    /**
     * What is known of one image: present with its id (and its registry digest once pulled from a
     * registry), or missing with the reason.
     */
    public record ImageState(String image, boolean present, String id, String repoDigest, String problem, Instant checkedAt) {
    }

    private final Docker docker;
    private final DockerDaemon daemon;
    private final Languages languages;
    private final ImageProperties properties;
    private final RegistryCredentials.Source credentials;
    private final Map<String, ImageState> states = new ConcurrentHashMap<>();
    private volatile boolean pulledAtStart;
    private final java.util.concurrent.atomic.AtomicBoolean recheckPending = new java.util.concurrent.atomic.AtomicBoolean();
    private final java.util.concurrent.ExecutorService recheck = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "image-check");
        t.setDaemon(true);
        return t;
    });

    public RuntimeImages(Docker docker, DockerDaemon daemon, Languages languages, ImageProperties properties,
            RegistryCredentials.Source credentials) {
        this.docker = docker;
        this.daemon = daemon;
        this.languages = languages;
        this.properties = properties;
        this.credentials = credentials;
        daemon.addListener(this);
        for (Language language : languages.all()) {
            states.put(language.image(), new ImageState(language.image(), false, null, null, "not checked yet", Instant.EPOCH));
        }
    }

    /** The state of every configured image, in the order of the languages table. */
    public Map<String, ImageState> states() {
        Map<String, ImageState> ordered = new LinkedHashMap<>();
        languages.all().forEach(l -> ordered.put(l.image(), states.get(l.image())));
        return ordered;
    }

    public List<ImageState> missing() {
        return states().values().stream().filter(s -> !s.present()).toList();
    }

    /** Looks again as soon as the daemon is back (once, however often it comes and goes). */
    @Override
    public void dockerAvailable() {
        if (recheckPending.compareAndSet(false, true)) {
            recheck.execute(() -> {
                recheckPending.set(false);
                checkAll();
            });
        }
    }

    @Scheduled(initialDelay = 0, fixedDelayString = "${crucible.images.check-interval:30s}")
    public synchronized void checkAll() {
        if (!daemon.isUp()) {
            states.replaceAll((image, s) -> new ImageState(image, false, s.id(), s.repoDigest(), "Docker daemon is down", Instant.now()));
            return;
        }
        boolean pullAll = properties.pullPolicy() == ImageProperties.PullPolicy.ALWAYS && !pulledAtStart;
        for (Language language : languages.all()) {
            check(language.image(), pullAll);
        }
        pulledAtStart = true;
    }

    private void check(String image, boolean pullFirst) {
        try {
            String pullProblem = null;
            if (pullFirst) {
                pullProblem = tryPull(image);
            }
            InspectImageResponse found = inspect(image);
            if (found == null && properties.pullPolicy() != ImageProperties.PullPolicy.NEVER && pullProblem == null) {
                pullProblem = tryPull(image);
                found = inspect(image);
            }
            ImageState before = states.get(image);
            if (found != null) {
                String digest = repoDigest(image, found);
                if (before == null || !before.present()) {
                    log.info("Runtime image {} is present ({}{})", image, found.getId(), digest == null ? "" : ", " + digest);
                }
                states.put(image, new ImageState(image, true, found.getId(), digest, null, Instant.now()));
            } else {
                markMissing(image, pullProblem != null ? pullProblem : "image not present on the Docker host");
            }
        } catch (PullFailedException e) {
            markMissing(image, e.getMessage());
        } catch (RuntimeException e) {
            if (DockerUnavailableException.isConnectionFailure(e)) {
                daemon.reportUnreachable(e);
            }
            markMissing(image, "cannot inspect: " + e.getMessage());
        }
    }

    private void markMissing(String image, String problem) {
        ImageState before = states.get(image);
        if (before == null || before.present() || !problem.equals(before.problem())) {
            log.warn("Runtime image {} is missing: {} (build it with deploy/runtimes/build.sh)", image, problem);
        }
        states.put(image, new ImageState(image, false, null, null, problem, Instant.now()));
    }

    /** The state of one configured image (null for an image no language uses). */
    public ImageState state(String image) {
        return states.get(image);
    }

    /**
     * The digest to record for a run on {@code image} whose container ran image id {@code imageId}:
     * the registry digest ({@code repo@sha256:...}) when that is the image pulled, else the id.
     */
    public String digestOf(String image, String imageId) {
        ImageState state = states.get(image);
        if (state != null && state.repoDigest() != null && state.id() != null && state.id().equals(imageId)) {
            return state.repoDigest();
        }
        return imageId;
    }

    private InspectImageResponse inspect(String image) {
        try {
            return docker.calls().inspectImageCmd(image).exec();
        } catch (NotFoundException e) {
            return null;
        }
    }

    private static String repoDigest(String image, InspectImageResponse found) {
        List<String> digests = found.getRepoDigests();
        if (digests == null || digests.isEmpty()) {
            return null;
        }
        String repository = image.contains("@") ? image.substring(0, image.indexOf('@'))
                : image.lastIndexOf(':') > image.lastIndexOf('/') ? image.substring(0, image.lastIndexOf(':')) : image;
        // only the digest under this image's own name: the same image pushed elsewhere is not what was asked for
        return digests.stream().filter(d -> d.startsWith(repository + "@")).findFirst().orElse(null);
    }

    /** Pulls; returns null when it worked, or why it did not. */
    private String tryPull(String image) {
        try {
            pull(image);
            return null;
        } catch (PullFailedException e) {
            return e.getMessage();
        }
    }

    private void pull(String image) {
        var command = docker.streams().pullImageCmd(image);
        try {
            credentials.credentialsFor(image).ifPresent(c -> command.withAuthConfig(new AuthConfig()
                    .withUsername(c.username()).withPassword(c.password()).withRegistryAddress(c.server())));
        } catch (RegistryAuthException e) {
            throw new PullFailedException("pull failed: no registry credentials: " + e.getMessage());
        }
        try {
            boolean done = command
                    .exec(new PullImageResultCallback())
                    .awaitCompletion(properties.pullTimeout().toMillis(), TimeUnit.MILLISECONDS);
            if (!done) {
                throw new PullFailedException("pull did not finish within " + properties.pullTimeout());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PullFailedException("pull interrupted");
        } catch (RuntimeException e) {
            if (e instanceof PullFailedException) {
                throw e;
            }
            throw new PullFailedException("pull failed: " + firstLine(e.getMessage()));
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unknown error";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    private static final class PullFailedException extends RuntimeException {
        PullFailedException(String message) {
            super(message);
        }
    }
}
