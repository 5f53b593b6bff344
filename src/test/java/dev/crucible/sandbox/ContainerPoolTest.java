package dev.crucible.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.crucible.docker.DockerDaemon;
import dev.crucible.docker.DockerProperties;
import dev.crucible.sandbox.SandboxOutcome.Kind;
import dev.crucible.support.TestDocker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

/** The pool of pre-started containers against the real Docker daemon. */
@Tag("docker")
class ContainerPoolTest {

    static final PoolShape SHAPE = new PoolShape(SandboxTest.PYTHON, 100 * SandboxTest.MIB, 1_000_000_000L);

    final String installation = "pool-test-" + UUID.randomUUID();
    DockerDaemon daemon;
    Sandbox sandbox;
    ContainerPool pool;

    /** This test's process as the pool's owner: one worker, alive, of its own installation. */
    final ContainerOwnership ownership = new ContainerOwnership() {
        @Override
        public String installationId() {
            return installation;
        }

        @Override
        public boolean isOwned(Map<String, String> labels) {
            return false;
        }

        @Override
        public String workerId() {
            return "pool-test-worker";
        }

        @Override
        public boolean isLiveWorker(String workerId) {
            return false;
        }
    };

    @BeforeEach
    void connect() {
        daemon = new DockerDaemon(TestDocker.docker(),
                new DockerProperties(TestDocker.HOST, Duration.ofSeconds(10), Duration.ofSeconds(1), Duration.ofSeconds(60)));
        assertThat(daemon.check().up()).isTrue();
        sandbox = new Sandbox(TestDocker.docker(), daemon, SandboxTest.properties(DataSize.ofMegabytes(1)));
    }

    ContainerPool pool(Duration idleTimeout) {
        return pool(idleTimeout, 8);
    }

    ContainerPool pool(Duration idleTimeout, int maxIdle) {
        pool = new ContainerPool(TestDocker.docker(), daemon, sandbox,
                new PoolProperties(true, 2, maxIdle, idleTimeout, 2, Map.of()), ownership, Clock.systemUTC());
        pool.start();
        return pool;
    }

    @AfterEach
    void nothingLeftBehind() {
        if (pool != null && pool.isRunning()) {
            pool.stop();
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> containers().isEmpty());
    }

    List<com.github.dockerjava.api.model.Container> containers() {
        return TestDocker.client().listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(SandboxLabels.INSTALLATION, installation)).exec();
    }

    ContainerPool.Pooled takeReady() {
        await().atMost(Duration.ofSeconds(30)).until(() -> pool.state().ready() == 2);
        return pool.take(SHAPE).orElseThrow();
    }

    SandboxOutcome run(ContainerPool.Pooled pooled, String code, Duration timeout) {
        SandboxRequest request = SandboxTest.request(SandboxTest.PYTHON, code, "", timeout);
        try (SandboxRun run = sandbox.preparePooled(request, pooled.containerId(), pooled.imageId())) {
            return run.execute();
        } finally {
            pool.discard(pooled.containerId());
        }
    }

    /** Removes the launcher from its volume, as a prune or an operator might, behind the platform's back. */
    void emptyLauncherVolume() {
        var client = TestDocker.engine();
        String id = client.createContainerCmd(SandboxTest.PYTHON.image())
                .withEntrypoint("rm", "-f", Sandbox.POOLED_LAUNCHER)
                .withUser("0:0")
                .withLabels(Map.of(SandboxLabels.INSTALLATION, installation))
                .withHostConfig(com.github.dockerjava.api.model.HostConfig.newHostConfig().withNetworkMode("none")
                        .withMounts(List.of(new com.github.dockerjava.api.model.Mount()
                                .withType(com.github.dockerjava.api.model.MountType.VOLUME)
                                .withSource(sandbox.launcherVolume()).withTarget(Sandbox.POOLED_LAUNCHER_DIR))))
                .exec().getId();
        try {
            client.startContainerCmd(id).exec();
            assertThat(client.waitContainerCmd(id).start().awaitStatusCode()).isZero();
        } finally {
            client.removeContainerCmd(id).withForce(true).exec();
        }
    }

    @Test
    void theLauncherComesFromOneReadOnlyVolumeThatIsFilledAgainWhenEmptied() {
        emptyLauncherVolume();
        pool(Duration.ofMinutes(5));
        pool.take(SHAPE);
        ContainerPool.Pooled pooled = takeReady();
        var mounts = TestDocker.client().inspectContainerCmd(pooled.containerId()).exec().getMounts();
        assertThat(mounts).filteredOn(m -> Sandbox.POOLED_LAUNCHER_DIR.equals(m.getDestination().getPath()))
                .singleElement().satisfies(m -> {
                    assertThat(m.getName()).isEqualTo(sandbox.launcherVolume());
                    assertThat(m.getRW()).as("read-only").isFalse();
                });
        SandboxOutcome o = run(pooled, """
                import errno
                for how in ('ab', 'wb'):
                    try:
                        open('/crucible/.crucible-launch', how).write(b'x')
                        print('wrote')
                    except OSError as e:
                        print(errno.errorcode[e.errno])
                """, Duration.ofSeconds(10));
        assertThat(o.kind()).as(o.toString()).isEqualTo(Kind.COMPLETED);
        assertThat(o.stdout()).doesNotContain("wrote").matches("(EROFS|EACCES)\n(EROFS|EACCES)\n");
    }

    @Test
    void aShapeAskedForIsFilledAndEachContainerTakesOneRunThenGoes() {
        pool(Duration.ofMinutes(5));
        assertThat(pool.take(SHAPE)).as("nothing is ready before a shape is asked for").isEmpty();
        await().atMost(Duration.ofSeconds(30)).until(() -> pool.state().ready() == 2);
        assertThat(pool.state().heldBytes()).as("what two waiting containers hold, about").isEqualTo(2 * ContainerPool.HELD_BYTES_RUNC);
        ContainerPool.Pooled pooled = takeReady();
        var inspected = TestDocker.client().inspectContainerCmd(pooled.containerId()).exec();
        assertThat(inspected.getState().getRunning()).isTrue();
        assertThat(inspected.getConfig().getLabels()).containsEntry(SandboxLabels.POOL, SHAPE.key())
                .containsEntry(SandboxLabels.WORKER, "pool-test-worker").doesNotContainKey(SandboxLabels.EVAL_ID);
        assertThat(inspected.getHostConfig().getMemory()).isEqualTo(100 * SandboxTest.MIB);
        assertThat(pool.holds(pooled.containerId())).isTrue();

        SandboxOutcome o = run(pooled, "print('from the pool')", Duration.ofSeconds(10));
        assertThat(o.kind()).as(o.toString()).isEqualTo(Kind.COMPLETED);
        assertThat(o.stdout()).isEqualTo("from the pool\n");
        // gone afterwards, never used again; the pool is back to its size
        await().atMost(Duration.ofSeconds(20)).until(() -> !pool.holds(pooled.containerId()));
        assertThat(TestDocker.client().listContainersCmd().withShowAll(true).withIdFilter(List.of(pooled.containerId())).exec())
                .isEmpty();
        await().atMost(Duration.ofSeconds(30)).until(() -> pool.state().ready() == 2);
        assertThat(pool.state().handedOut()).isEqualTo(1);
    }

    @Test
    void theTimeLimitCountsFromTheProgramNotFromTheContainer() throws Exception {
        pool(Duration.ofMinutes(5));
        pool.take(SHAPE);
        ContainerPool.Pooled pooled = takeReady();
        // the container has been up longer than the whole time limit before its program arrives
        Thread.sleep(2_500);
        SandboxOutcome o = run(pooled, "import time\ntime.sleep(1.2)\nprint('done')", Duration.ofSeconds(2));
        assertThat(o.kind()).as(o.toString()).isEqualTo(Kind.COMPLETED);
        assertThat(o.runtimeMs()).isBetween(1_150L, 1_900L);

        SandboxOutcome loop = run(pool.take(SHAPE).orElseGet(this::takeReady), "while True: pass", Duration.ofSeconds(1));
        assertThat(loop.kind()).isEqualTo(Kind.TIMEOUT);
        assertThat(loop.error()).isEqualTo("Timed out after 1 s; the program was killed");
        assertThat(loop.runtimeMs()).as("killed within 100 ms of its limit").isBetween(995L, 1_100L);
    }

    @Test
    void aContainerThatDiesWhileItWaitsIsReplacedNotHandedOut() {
        pool(Duration.ofMinutes(5));
        pool.take(SHAPE);
        await().atMost(Duration.ofSeconds(30)).until(() -> pool.state().ready() == 2);
        String victim = containers().get(0).getId();
        TestDocker.client().killContainerCmd(victim).exec();
        await().atMost(Duration.ofSeconds(20)).until(() -> pool.state().died() == 1);
        await().atMost(Duration.ofSeconds(30)).until(() -> pool.state().ready() == 2);
        for (int i = 0; i < 2; i++) {
            ContainerPool.Pooled pooled = pool.take(SHAPE).orElseThrow();
            assertThat(pooled.containerId()).isNotEqualTo(victim);
            SandboxOutcome o = run(pooled, "print(6 * 7)", Duration.ofSeconds(10));
            assertThat(o.stdout()).isEqualTo("42\n");
        }
    }

    @Test
    void aShapeNoLongerAskedForGivesItsContainersBack() {
        pool(Duration.ofSeconds(2));
        pool.take(SHAPE);
        await().atMost(Duration.ofSeconds(30)).until(() -> containers().size() == 2);
        await().atMost(Duration.ofSeconds(20)).until(() -> pool.state().ready() == 0 && containers().isEmpty());
    }

    @Test
    void aContainerThatFinishesStartingAfterItsShapeWasGivenBackGoesToo() {
        // an idle timeout shorter than a container's start: the shape is given back while its containers start
        pool(Duration.ofMillis(200));
        pool.take(SHAPE);
        await().atMost(Duration.ofSeconds(30)).until(() -> pool.state().started() + pool.state().starting() >= 2
                && pool.state().starting() == 0);
        await().atMost(Duration.ofSeconds(20)).until(() -> pool.state().ready() == 0 && containers().isEmpty());
    }

    @Test
    void stoppingThePoolRemovesWhatItHeld() {
        pool(Duration.ofMinutes(5));
        pool.take(SHAPE);
        await().atMost(Duration.ofSeconds(30)).until(() -> containers().size() == 2);
        pool.stop();
        assertThat(containers()).isEmpty();
    }

    @Test
    void aShapeAskedForLaterTakesThePlaceOfOneAskedForEarlierWhenThePoolIsFull() {
        PoolShape other = new PoolShape(SandboxTest.PYTHON, 64 * SandboxTest.MIB, 1_000_000_000L);
        pool(Duration.ofMinutes(5), 2);
        pool.take(SHAPE);
        await().atMost(Duration.ofSeconds(30)).until(() -> pool.state().ready() == 2);
        pool.take(other);
        await().atMost(Duration.ofSeconds(30)).until(() -> pool.state().readyByShape().getOrDefault(other.key(), 0) == 2);
        assertThat(pool.state().readyByShape()).doesNotContainKey(SHAPE.key());
        await().atMost(Duration.ofSeconds(20)).until(() -> containers().size() == 2);
    }
}
