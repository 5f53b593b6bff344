package dev.crucible.sandbox;

import org.junit.jupiter.api.Tag;

/** The sandbox suite under gVisor ({@code runsc}) on pooled containers. */
@Tag("docker")
class GvisorPooledSandboxTest extends PooledSandboxTest {

    @Override
    String runtime() {
        return "runsc";
    }

    @Override
    void assertForkBombContained(SandboxOutcome o) {
        GvisorSandboxTest.assertForkBombContainedUnderGvisor(o);
    }
}
