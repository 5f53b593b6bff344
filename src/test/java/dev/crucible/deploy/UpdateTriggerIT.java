package dev.crucible.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import dev.crucible.support.Commands;
import dev.crucible.support.TempStorage;
import dev.crucible.support.TestDocker;
import dev.crucible.support.TestRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * deploy/bin/crucible-update against a real registry and a real running container: it restarts
 * only when the tag names a new image, and two runs never overlap. (The restart command is the
 * only stand-in: there is no systemd to restart a unit here.)
 */
@Tag("docker")
@Tag("registry")
class UpdateTriggerIT {

    static final String CONTAINER = "crucible-update-it";

    static Commands.Result run(Map<String, String> env, String... command) throws IOException, InterruptedException {
        return Commands.run(env, java.time.Duration.ofMinutes(3), command);
    }

    @AfterAll
    static void removeContainer() throws Exception {
        run(Map.of(), "docker", "rm", "--force", CONTAINER);
    }

    @Test
    void itRestartsOnlyWhenTheTagNamesANewImageAndNeverTwiceAtOnce() throws Exception {
        TestRegistry registry = TestRegistry.get();
        Path dir = TempStorage.create("update");
        String image = registry.address() + "/crucible/platform:latest";
        Path restarted = dir.resolve("restarted");
        Map<String, String> env = new HashMap<>();
        env.put("DOCKER_CONFIG", dir.resolve("docker-config").toString());
        env.put("CRUCIBLE_ENV_FILE", dir.resolve("none.env").toString());
        env.put("CRUCIBLE_IMAGE", image);
        env.put("CRUCIBLE_IMAGE_REGISTRY", "none");
        env.put("CRUCIBLE_CONTAINER", CONTAINER);
        env.put("CRUCIBLE_UPDATE_LOCK", dir.resolve("update.lock").toString());
        env.put("CRUCIBLE_RESTART_COMMAND", "touch " + restarted);
        env.put("PASSWORD", TestRegistry.PASSWORD);
        Commands.Result login = run(env, "sh", "-c", "printf '%s' \"$PASSWORD\" | docker login --username AWS --password-stdin " + registry.address());
        env.remove("PASSWORD");
        assertThat(login.exit()).as(login.output()).isZero();

        // the platform runs image A
        registry.push("crucible-runtime/python:3.11", "crucible/platform", "latest");
        assertThat(run(env, "docker", "pull", "-q", image).exit()).isZero();
        assertThat(run(env, "docker", "run", "-d", "--name", CONTAINER, "--network", "none", image, "sleep", "600").exit()).isZero();

        Commands.Result same = run(env, "deploy/bin/crucible-update");
        assertThat(same.exit()).as(same.output()).isZero();
        assertThat(same.output()).contains("runs the newest");
        assertThat(Files.exists(restarted)).isFalse();

        // a new image under the same tag
        registry.push("crucible-runtime/node:18", "crucible/platform", "latest");
        Commands.Result changed = run(env, "deploy/bin/crucible-update");
        assertThat(changed.exit()).as(changed.output()).isZero();
        assertThat(changed.output()).contains("changed").contains("restarting");
        assertThat(Files.exists(restarted)).isTrue();

        // a run that finds another one holding the lock stops at once
        Files.delete(restarted);
        Process holder = new ProcessBuilder("flock", dir.resolve("update.lock").toString(), "sleep", "30").start();
        try {
            String lock = dir.resolve("update.lock").toString();
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                    .until(() -> run(Map.of(), "flock", "--nonblock", lock, "true").exit() != 0);
            Commands.Result overlapping = run(env, "deploy/bin/crucible-update");
            assertThat(overlapping.exit()).isZero();
            assertThat(overlapping.output()).contains("another update check is still running");
            assertThat(Files.exists(restarted)).isFalse();
        } finally {
            holder.destroy();
        }
        TestRegistry.removeLocally(image);
        assertThat(TestDocker.client().listContainersCmd().withShowAll(true).withNameFilter(java.util.List.of(CONTAINER)).exec())
                .isNotEmpty();
    }
}
