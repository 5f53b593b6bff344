package dev.crucible.deploy;

import static dev.crucible.deploy.ImageIT.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.github.dockerjava.api.command.InspectContainerResponse;
import dev.crucible.sandbox.SandboxLabels;
import dev.crucible.support.Api;
import dev.crucible.support.PlatformProcess;
import dev.crucible.support.TestDocker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * docker-compose.scale.yml for real: the PostgreSQL image made offline (deploy/image/postgres-image.sh),
 * the platform's image (deploy/image/build.sh), one api and three workers. The workers register, an
 * evaluation submitted to the api runs on one of them in a sibling container, and nothing is left
 * behind once the project is taken down with its volumes.
 */
@Tag("docker")
@Tag("image")
class ScaleComposeIT {

    /**
     * A tag of its own, not ImageIT's crucible:it: another checkout's ImageIT may retag that one
     * while this test runs. Built every time (Docker's layer cache makes it take seconds when these
     * sources were built before, by ImageIT say) and then named by its id, so a rebuild elsewhere
     * cannot change what the project runs.
     */
    static final String IMAGE = "crucible:scale-it";
    static final String PROJECT = "crucible-scale-it-" + UUID.randomUUID().toString().substring(0, 8);
    static final String FILE = "docker-compose.scale.yml";

    static Map<String, String> composeEnv;
    static final List<String> workerIds = new ArrayList<>();

    static String compose(int minutes, String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of("docker-compose", "-p", PROJECT, "-f", FILE));
        command.addAll(List.of(arguments));
        return run(composeEnv, minutes, command.toArray(String[]::new));
    }

    @AfterAll
    static void down() throws Exception {
        if (composeEnv == null) {
            return;
        }
        compose(3, "down", "--volumes");
        assertThat(TestDocker.client().listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of("com.docker.compose.project", PROJECT)).exec()).isEmpty();
        assertThat(TestDocker.client().listVolumesCmd().exec().getVolumes()).noneMatch(v -> v.getName().startsWith(PROJECT));
        for (String worker : workerIds) {
            // every container of the worker, pooled ones waiting for a program too: a stopped worker removes its pool
            assertThat(TestDocker.client().listContainersCmd().withShowAll(true)
                    .withLabelFilter(Map.of(SandboxLabels.WORKER, worker)).exec()).as("containers of " + worker).isEmpty();
        }
    }

    @Test
    void anApiAndThreeWorkersOnOnePostgresRunAnEvaluationOnAWorker() throws Exception {
        run(Map.of(), 30, "deploy/image/build.sh", IMAGE, "production");
        String image = TestDocker.client().inspectImageCmd(IMAGE).exec().getId();
        run(Map.of(), 10, "deploy/image/postgres-image.sh");

        int port = PlatformProcess.freePort();
        String token = "scale-it-" + UUID.randomUUID();
        Map<String, String> env = new HashMap<>();
        env.put("CRUCIBLE_IMAGE", image);
        env.put("CRUCIBLE_PORT", Integer.toString(port));
        env.put("DOCKER_GID", run(Map.of(), 1, "stat", "-c", "%g", "/var/run/docker.sock").trim());
        env.put("POSTGRES_PASSWORD", "scale-it-" + UUID.randomUUID());
        env.put("CRUCIBLE_API_TOKEN", token);
        composeEnv = env;
        compose(5, "up", "-d");

        Api api = new Api("http://127.0.0.1:" + port, token);
        // four JVMs start at once on this machine's two cores
        await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofSeconds(2)).ignoreExceptions()
                .until(() -> api.get("/health").status() == 200);

        // the three workers register in the shared database, each from its own container
        List<String> containers = List.of(compose(1, "ps", "-q", "worker").trim().split("\\s+"));
        assertThat(containers).hasSize(3);
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(2))
                .until(() -> running(api).size() == 3);
        // a worker registers before its first look at the images, and reports them from the next heartbeat on
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofSeconds(1)).until(() -> running(api).stream()
                .allMatch(w -> w.get("images").toString().contains("crucible-runtime/python:3.11")));
        List<JsonNode> workers = running(api);
        for (JsonNode worker : workers) {
            workerIds.add(worker.get("id").asString());
            assertThat(containers).as("a worker of this project").anyMatch(c -> c.startsWith(worker.get("host").asString()));
            assertThat(worker.get("images").toString()).contains("crucible-runtime/python:3.11");
        }
        assertThat(workers).extracting(w -> w.get("host").asString()).doesNotHaveDuplicates();

        Api.Response result = api.post("/api/eval?wait=true", "{\"code\": \"print('hello from a worker')\"}");
        assertThat(result.status()).as(result.toString()).isEqualTo(200);
        assertThat(result.text("status")).isEqualTo("completed");
        assertThat(result.text("output")).isEqualTo("hello from a worker\n");
        // it ran on exactly one of the three (the api runs nothing)
        await().atMost(Duration.ofSeconds(30)).until(() -> running(api).stream()
                .mapToLong(w -> w.get("evaluations_done").asLong()).sum() == 1);
        assertThat(running(api)).filteredOn(w -> w.get("evaluations_done").asLong() == 1)
                .extracting(w -> w.get("id").asString()).singleElement().isIn(workerIds);

        // what each container holds: the socket for the workers only, no port but the api's, on loopback
        InspectContainerResponse apiContainer = TestDocker.client().inspectContainerCmd(compose(1, "ps", "-q", "api").trim()).exec();
        assertThat(apiContainer.getHostConfig().getBinds()).extracting(b -> b.getVolume().getPath()).containsExactly("/app/storage");
        assertThat(published(apiContainer)).containsExactly("127.0.0.1:" + port);
        for (String container : containers) {
            InspectContainerResponse worker = TestDocker.client().inspectContainerCmd(container).exec();
            assertThat(worker.getHostConfig().getBinds()).extracting(b -> b.getVolume().getPath())
                    .containsExactly("/var/run/docker.sock");
            assertThat(published(worker)).isEmpty();
            assertThat(worker.getHostConfig().getReadonlyRootfs()).isTrue();
            assertThat(List.of(worker.getConfig().getEntrypoint())).contains("-XX:+ExitOnOutOfMemoryError");
        }
        InspectContainerResponse postgres = TestDocker.client().inspectContainerCmd(compose(1, "ps", "-q", "postgres").trim()).exec();
        assertThat(published(postgres)).isEmpty();
        assertThat(postgres.getState().getHealth().getStatus()).isEqualTo("healthy");
    }

    /** The host addresses and ports a container is published on. */
    static List<String> published(InspectContainerResponse container) {
        List<String> published = new ArrayList<>();
        if (container.getHostConfig().getPortBindings() != null) {
            container.getHostConfig().getPortBindings().getBindings().values().forEach(bindings -> {
                for (var binding : bindings) {
                    published.add(binding.getHostIp() + ":" + binding.getHostPortSpec());
                }
            });
        }
        return published;
    }

    static List<JsonNode> running(Api api) {
        Api.Response response = api.get("/api/workers");
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        List<JsonNode> running = new ArrayList<>();
        response.json().get("workers").forEach(w -> {
            if ("running".equals(w.get("state").asString())) {
                running.add(w);
            }
        });
        return running;
    }
}
