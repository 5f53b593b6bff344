package dev.crucible.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.crucible.storage.Installation;
import dev.crucible.support.TempStorageInitializer;
import dev.crucible.support.TestDocker;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ContextConfiguration;

@Tag("docker")
@SpringBootTest(properties = "crucible.images.pull-policy=never")
@ContextConfiguration(initializers = TempStorageInitializer.class)
class OrphanReaperTest {


    @Autowired
    OrphanReaper reaper;

    @Autowired
    Installation installation;

    String container(String installationId, String evalId) {
        return TestDocker.client().createContainerCmd("crucible-runtime/python:3.11")
                .withName("python-eval-orphan-" + UUID.randomUUID())
                .withLabels(Map.of(SandboxLabels.INSTALLATION, installationId, SandboxLabels.EVAL_ID, evalId,
                        SandboxLabels.WORKER, "a-worker-that-died"))
                .withCmd("sleep", "600")
                .exec().getId();
    }

    @Test
    void containersNoLiveEvaluationOwnsAreRemovedAndOthersAreLeftAlone() {
        String ours = container(installation.id(), "20200101_000000_0000dead");
        TestDocker.client().startContainerCmd(ours).exec();
        String stopped = container(installation.id(), "20200101_000000_0000beef");
        String someoneElses = container("another-installation-" + UUID.randomUUID(), "20200101_000000_00000000");
        try {
            assertThat(reaper.reap()).isEqualTo(2);
            assertThat(TestDocker.client().listContainersCmd().withShowAll(true).withIdFilter(List.of(ours, stopped)).exec()).isEmpty();
            assertThat(TestDocker.client().listContainersCmd().withShowAll(true).withIdFilter(List.of(someoneElses)).exec()).hasSize(1);
        } finally {
            TestDocker.client().removeContainerCmd(someoneElses).withForce(true).exec();
        }
    }
}
