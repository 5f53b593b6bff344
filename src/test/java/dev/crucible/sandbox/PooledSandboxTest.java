package dev.crucible.sandbox;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Tag;

/**
 * The sandbox suite on pooled containers: each started ahead of its run with the launcher waiting
 * (as the pool starts them), then given its program over the attached stdin and named after the
 * run. Every limit, every hostile program and every figure must come out as on a fresh container.
 */
@Tag("docker")
class PooledSandboxTest extends SandboxTest {

    @Override
    SandboxRun prepare(Sandbox sandbox, SandboxRequest original) {
        SandboxRequest request = original.onRuntime(runtime());
        Map<String, String> labels = new HashMap<>(request.labels());
        labels.put(SandboxLabels.POOL, PoolShape.of(request).key());
        String[] started = sandbox.startPooled(PoolShape.of(request), "pool-test-" + UUID.randomUUID(), labels);
        try {
            return sandbox.preparePooled(request, started[0], started[1]);
        } catch (RuntimeException e) {
            sandbox.remove(started[0]);
            throw e;
        }
    }
}
