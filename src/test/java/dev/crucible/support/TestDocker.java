package dev.crucible.support;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import dev.crucible.docker.Docker;
import dev.crucible.docker.DockerClients;
import dev.crucible.sandbox.SandboxLabels;

/** The real Docker daemon the tests run against, and questions tests ask it. */
public final class TestDocker {

    public static final String HOST = System.getProperty("crucible.test.docker-host", "unix:///var/run/docker.sock");
    private static final String ENGINE_HOST = "unix:///var/run/docker.sock";
    /** When this test JVM started: evaluation containers created since then belong to these tests. */
    public static final long STARTED_EPOCH_SECONDS = Instant.now().getEpochSecond() - 1;

    private static final Docker DOCKER = DockerClients.docker(HOST, java.time.Duration.ofSeconds(60));
    private static final DockerClient CLIENT = DOCKER.calls();

    private TestDocker() {
    }

    public static DockerClient client() {
        return CLIENT;
    }

    public static Docker docker() {
        return DOCKER;
    }

    /**
     * A client straight to the engine's own socket, also when the tests' client goes through the
     * socket proxy: for what a test does behind the platform's back, which the proxy rightly refuses.
     */
    public static DockerClient engine() {
        return ENGINE.calls();
    }

    private static final Docker ENGINE = HOST.equals(ENGINE_HOST) ? DOCKER
            : DockerClients.docker(ENGINE_HOST, java.time.Duration.ofSeconds(60));

    /**
     * Containers (running or not) that carry the label {@code key=value}, but for pooled containers
     * still waiting for a program: those belong to the running platform, not to an evaluation.
     */
    public static List<Container> evaluationContainers(String key, String value) {
        return CLIENT.listContainersCmd().withShowAll(true).withLabelFilter(Map.of(key, value)).exec().stream()
                .filter(c -> !waitingInPool(c)).toList();
    }

    /**
     * The containers (running or not) that took evaluation {@code evalId}: a fresh one carries its
     * label, a pooled one was named after it when it was handed out.
     */
    public static List<Container> containersOf(String evalId) {
        Map<String, Container> found = new java.util.LinkedHashMap<>();
        CLIENT.listContainersCmd().withShowAll(true).withLabelFilter(Map.of(SandboxLabels.EVAL_ID, evalId)).exec()
                .forEach(c -> found.put(c.getId(), c));
        CLIENT.listContainersCmd().withShowAll(true).withNameFilter(List.of("-eval-" + evalId + "$")).exec()
                .forEach(c -> found.put(c.getId(), c));
        return List.copyOf(found.values());
    }

    /** A pooled container not handed out yet (it is renamed after the evaluation it takes). */
    public static boolean waitingInPool(Container c) {
        return c.getLabels() != null && c.getLabels().containsKey(SandboxLabels.POOL) && c.getNames() != null
                && c.getNames().length > 0 && c.getNames()[0].contains("-pool-");
    }

    /** Waits (up to 30 s: removal follows the recorded result) until this installation has no container left. */
    public static void awaitNoContainerOf(String installationId) {
        if (installationId != null) {
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).untilAsserted(() ->
                    org.assertj.core.api.Assertions.assertThat(evaluationContainers(dev.crucible.sandbox.SandboxLabels.INSTALLATION,
                            installationId)).isEmpty());
        }
    }

    /** Evaluation containers created since this test JVM started, whatever their installation. */
    public static List<Container> evaluationContainersOfThisRun() {
        return java.util.stream.Stream.concat(
                        CLIENT.listContainersCmd().withShowAll(true).withLabelFilter(List.of(SandboxLabels.EVAL_ID)).exec().stream(),
                        CLIENT.listContainersCmd().withShowAll(true).withLabelFilter(List.of(SandboxLabels.POOL)).exec().stream()
                                .filter(c -> !waitingInPool(c)))
                .filter(c -> c.getCreated() != null && c.getCreated() >= STARTED_EPOCH_SECONDS)
                .toList();
    }
}
