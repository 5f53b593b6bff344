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

    @Autowired
    ContainerPool pool;

    @Autowired
    ContainerOwnership ownership;

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

    String pooledContainer(String worker) {
        return TestDocker.client().createContainerCmd("crucible-runtime/python:3.11")
                .withName("python-pool-orphan-" + UUID.randomUUID())
                .withLabels(Map.of(SandboxLabels.INSTALLATION, installation.id(), SandboxLabels.POOL, "python/100m/1.0",
                        SandboxLabels.WORKER, worker))
                .withCmd("sleep", "600")
                .exec().getId();
    }

    @Test
    void pooledContainersOfAGoneWorkerOrNotHeldByThePoolAreRemovedAndThePoolsOwnAreKept() {
        String deadWorkers = pooledContainer("a-worker-that-died");
        String mineButLost = pooledContainer(ownership.workerId());
        PoolShape shape = new PoolShape(new dev.crucible.runtime.Language("python", "crucible-runtime/python:3.11", "main.py",
                List.of("python3", "main.py"), List.of()), 100L * 1024 * 1024, 1_000_000_000L);
        pool.take(shape);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() -> pool.state().ready() == 2);
        List<String> held = TestDocker.client().listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(SandboxLabels.INSTALLATION, installation.id(), SandboxLabels.POOL, shape.key(),
                        SandboxLabels.WORKER, ownership.workerId()))
                .exec().stream().map(com.github.dockerjava.api.model.Container::getId)
                .filter(id -> !id.equals(mineButLost)).toList();
        assertThat(held).hasSize(2);

        assertThat(reaper.reap()).isEqualTo(2);
        assertThat(TestDocker.client().listContainersCmd().withShowAll(true).withIdFilter(List.of(deadWorkers, mineButLost)).exec())
                .isEmpty();
        assertThat(TestDocker.client().listContainersCmd().withShowAll(true).withIdFilter(held).exec()).hasSize(2);
    }
}
