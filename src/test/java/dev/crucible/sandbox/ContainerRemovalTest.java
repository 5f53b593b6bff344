package dev.crucible.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.github.dockerjava.api.exception.InternalServerErrorException;
import dev.crucible.docker.DockerDaemon;
import dev.crucible.docker.DockerProperties;
import dev.crucible.support.TestDocker;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Removing a container at the moment it exits (a run closed on its launcher's trailer). */
@Tag("docker")
class ContainerRemovalTest {

    @Test
    void theDaemonsAnswerForAContainerCaughtExitingIsTriedAgain() {
        // Docker 20.10's answer, as CI's log has it
        assertThat(ContainerRemoval.exiting(new InternalServerErrorException("Status 500: {\"message\":\"Could not kill "
                + "running container ce1394a3d87e, cannot remove - Container ce1394a3d87e is not running\"}"))).isTrue();
        assertThat(ContainerRemoval.exiting(new InternalServerErrorException("Status 500: no space left on device")))
                .isFalse();
    }

    @Test
    void containersRemovedAsTheyExitAreGone() {
        DockerDaemon daemon = new DockerDaemon(TestDocker.docker(),
                new DockerProperties(TestDocker.HOST, Duration.ofSeconds(10), Duration.ofSeconds(1), Duration.ofSeconds(60)));
        String installation = "removal-test-" + UUID.randomUUID();
        var client = TestDocker.engine();
        for (int i = 0; i < 20; i++) {
            String id = client.createContainerCmd(SandboxTest.PYTHON.image()).withEntrypoint("python3", "-c", "pass")
                    .withLabels(Map.of(SandboxLabels.INSTALLATION, installation))
                    .withHostConfig(com.github.dockerjava.api.model.HostConfig.newHostConfig().withNetworkMode("none"))
                    .exec().getId();
            client.startContainerCmd(id).exec();
            // staggered so some removals meet the container as it exits
            try {
                Thread.sleep(i * 3L);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ContainerRemoval.remove(TestDocker.docker(), daemon, id, "removal-test-" + i);
        }
        assertThat(client.listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(SandboxLabels.INSTALLATION, installation)).exec())
                .extracting(c -> c.getNames()[0] + " " + c.getState()).isEqualTo(List.of());
    }
}
