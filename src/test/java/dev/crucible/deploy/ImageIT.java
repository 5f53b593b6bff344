package dev.crucible.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.crucible.support.Api;
import dev.crucible.support.Commands;
import dev.crucible.support.TempStorage;
import dev.crucible.support.TestDocker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The platform's own image, built here by deploy/image/build.sh from the top-level Dockerfile (on
 * base images made from Debian packages, as no registry answers here), started with
 * docker-compose.yml: it reaches the host's daemon through the mounted socket, and an evaluation
 * submitted to it runs in a sibling container and completes.
 */
@Tag("docker")
@Tag("image")
class ImageIT {

    static final String IMAGE = "crucible:it";
    static final String PROJECT = "crucible-it";

    static String run(Map<String, String> env, long minutes, String... command) throws IOException, InterruptedException {
        Commands.Result result = Commands.run(env, Duration.ofMinutes(minutes), command);
        assertThat(result.exit()).as(String.join(" ", command) + "\n" + result.output()).isZero();
        return result.output();
    }

    static Map<String, String> composeEnv;

    @AfterAll
    static void down() throws Exception {
        if (composeEnv != null) {
            run(composeEnv, 2, "docker-compose", "-p", PROJECT, "down", "--volumes");
        }
    }

    @Test
    void theImageBuildsRunsUnprivilegedAndItsContainerRunsEvaluationsInSiblingContainers() throws Exception {
        run(Map.of(), 30, "deploy/image/build.sh", IMAGE, "production");
        var image = TestDocker.client().inspectImageCmd(IMAGE).exec();
        assertThat(image.getConfig().getUser()).isEqualTo("10001:10001");
        assertThat(image.getConfig().getHealthcheck().getTest()).asString().contains("/health");
        assertThat(String.join(" ", image.getConfig().getEnv())).doesNotContainIgnoringCase("password")
                .doesNotContainIgnoringCase("token").doesNotContainIgnoringCase("secret");
        assertThat(image.getConfig().getExposedPorts()).extracting(Object::toString).contains("8080/tcp");
        // the build host's extra CA certificates stayed in the build stage
        String tmp = run(Map.of(), 2, "docker", "run", "--rm", "--entrypoint", "ls", IMAGE, "-a", "/tmp");
        assertThat(tmp).doesNotContain("extra-ca");

        Path storage = TempStorage.create("compose-storage");
        Files.setPosixFilePermissions(storage, PosixFilePermissions.fromString("rwxrwxrwx"));
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        String gid = run(Map.of(), 1, "stat", "-c", "%g", "/var/run/docker.sock").trim();
        Map<String, String> env = new HashMap<>();
        env.put("CRUCIBLE_IMAGE", IMAGE);
        env.put("CRUCIBLE_PORT", Integer.toString(port));
        env.put("CRUCIBLE_STORAGE", storage.toString());
        env.put("DOCKER_GID", gid);
        env.put("CRUCIBLE_API_TOKEN", "compose-it-token");
        composeEnv = env;
        run(env, 5, "docker-compose", "-p", PROJECT, "up", "-d");

        Api api = new Api("http://localhost:" + port);
        await().atMost(Duration.ofSeconds(120)).ignoreExceptions().until(() -> api.get("/health").status() == 200);
        // through Docker's network nobody is local: the API wants its key
        assertThat(api.get("/api/queue/status").status()).isEqualTo(401);
        var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://localhost:" + port + "/api/eval?wait=true"))
                .header("Authorization", "Bearer compose-it-token").header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"code\": \"print('from a sibling container')\"}")).build();
        var response = java.net.http.HttpClient.newHttpClient().send(request, java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        var evaluation = Api.JSON.readTree(response.body());
        assertThat(evaluation.get("status").asString()).isEqualTo("completed");
        assertThat(evaluation.get("output").asString()).isEqualTo("from a sibling container\n");
        assertThat(Files.exists(storage.resolve("crucible.mv.db"))).isTrue();

        String container = run(env, 1, "docker-compose", "-p", PROJECT, "ps", "-q").trim();
        var inspected = TestDocker.client().inspectContainerCmd(container).exec();
        assertThat(inspected.getHostConfig().getPrivileged()).isFalse();
        assertThat(inspected.getHostConfig().getReadonlyRootfs()).isTrue();
        assertThat(inspected.getHostConfig().getCapDrop()).extracting(Object::toString).containsExactly("ALL");
        assertThat(inspected.getHostConfig().getBinds()).extracting(b -> b.getVolume().getPath())
                .containsExactlyInAnyOrder("/var/run/docker.sock", "/app/storage");
        await().atMost(Duration.ofSeconds(120)).until(() ->
                "healthy".equals(TestDocker.client().inspectContainerCmd(container).exec().getState().getHealth().getStatus()));
        assertThat(List.of(inspected.getConfig().getEnv())).noneMatch(e -> e.startsWith("HOME=/root"));
        // a JVM that runs out of memory exits (compose restarts it) inside a bounded container,
        // and the published port answers this machine only
        assertThat(inspected.getHostConfig().getMemory()).isEqualTo(1L << 30);
        assertThat(List.of(inspected.getConfig().getEntrypoint())).contains("-XX:+ExitOnOutOfMemoryError");
        assertThat(inspected.getHostConfig().getPortBindings().getBindings().values()).allSatisfy(bindings ->
                assertThat(bindings).allMatch(b -> "127.0.0.1".equals(b.getHostIp())));
        assertThat(List.of(inspected.getConfig().getEnv())).noneMatch(e -> e.contains("jdwp"));
        run(env, 2, "docker-compose", "-p", PROJECT, "down", "--volumes");
        composeEnv = null;

        theSystemdScriptsStartTheSameImage();
    }

    /** What crucible-platform.service runs: crucible-pull (ExecStartPre), then crucible-run (ExecStart). */
    void theSystemdScriptsStartTheSameImage() throws Exception {
        Path storage = TempStorage.create("systemd-storage");
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Map<String, String> env = new HashMap<>();
        env.put("CRUCIBLE_ENV_FILE", storage.resolve("none.env").toString());
        env.put("CRUCIBLE_SECRETS_FILE", storage.resolve("none-secrets.env").toString());
        env.put("CRUCIBLE_IMAGE", IMAGE);
        env.put("CRUCIBLE_IMAGE_REGISTRY", "none");
        env.put("CRUCIBLE_CONTAINER", "crucible-run-it");
        env.put("CRUCIBLE_STORAGE_HOST_DIR", storage.toString());
        env.put("CRUCIBLE_HTTP_PORT", Integer.toString(port));
        env.put("CRUCIBLE_API_TOKEN", "systemd-it-token");
        // the image is only on this host (no registry has it): the pull fails, the local copy is used
        String pulled = run(env, 2, "deploy/bin/crucible-pull");
        assertThat(pulled).contains("starting the image already on this host");

        ProcessBuilder builder = new ProcessBuilder("deploy/bin/crucible-run").redirectErrorStream(true)
                .redirectOutput(storage.resolve("run.log").toFile());
        builder.environment().putAll(env);
        Process platform = builder.start();
        try {
            Api api = new Api("http://localhost:" + port);
            await().atMost(Duration.ofSeconds(120)).ignoreExceptions().until(() -> api.get("/health").status() == 200);
            var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://localhost:" + port + "/api/eval?wait=true"))
                    .header("X-API-Key", "systemd-it-token").header("Content-Type", "application/json")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"code\": \"print(6 * 7)\"}")).build();
            var response = java.net.http.HttpClient.newHttpClient().send(request, java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(Api.JSON.readTree(response.body()).get("output").asString()).isEqualTo("42\n");
            var container = TestDocker.client().inspectContainerCmd("crucible-run-it").exec();
            assertThat(container.getHostConfig().getReadonlyRootfs()).isTrue();
            assertThat(container.getHostConfig().getCapDrop()).extracting(Object::toString).containsExactly("ALL");
            // the platform's own settings went in, nothing else of the host's environment
            assertThat(List.of(container.getConfig().getEnv())).anyMatch(e -> e.equals("CRUCIBLE_API_TOKEN=systemd-it-token"))
                    .noneMatch(e -> e.startsWith("CRUCIBLE_IMAGE=")).noneMatch(e -> e.startsWith("CRUCIBLE_STORAGE_HOST_DIR="))
                    .noneMatch(e -> e.startsWith("MAVEN_")).noneMatch(e -> e.startsWith("SUREFIRE"));
        } finally {
            run(Map.of(), 2, "docker", "stop", "--time", "30", "crucible-run-it");
            assertThat(platform.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }
    }
}
