package dev.crucible.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Tag;

/**
 * The sandbox suite under gVisor ({@code runsc}, registered with the engine by
 * deploy/dev/ensure-gvisor.sh, which the test command runs): every limit and every hostile program
 * as under runc, on fresh containers.
 */
@Tag("docker")
class GvisorSandboxTest extends SandboxTest {

    @Override
    String runtime() {
        return "runsc";
    }

    @Override
    void assertForkBombContained(SandboxOutcome o) {
        assertForkBombContainedUnderGvisor(o);
    }

    /**
     * gVisor keeps the program's processes to its own kernel, where the pids cgroup does not see
     * them: a fork bomb (much slowed down by gVisor's fork) meets the memory limit or the time limit.
     */
    static void assertForkBombContainedUnderGvisor(SandboxOutcome o) {
        assertThat(o.failureReason()).as(o.toString()).isIn("memory_limit", "timeout", "process_limit");
        assertThat(o.kind()).isIn(SandboxOutcome.Kind.FAILED, SandboxOutcome.Kind.TIMEOUT);
    }
}
