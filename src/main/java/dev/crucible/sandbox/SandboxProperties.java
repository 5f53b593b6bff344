package dev.crucible.sandbox;

import java.time.Duration;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * The fixed part of every sandbox (the per-evaluation part, memory, CPU and timeout, comes with
 * the evaluation).
 *
 * @param outputLimit bytes kept per stream (stdout, stderr); past it the container is killed
 * @param user user:group the program runs as (65534 is nobody)
 * @param pidsLimit processes and threads the container may hold (contains fork bombs)
 * @param tmpSize size of the writable {@code /tmp} tmpfs
 * @param openFiles the nofile ulimit
 * @param fileSizeLimit the fsize ulimit (largest file the program may write)
 * @param killGrace how long to wait for a killed container to be reported as exited
 * @param processLimitProbe on a timeout, count the frozen container's processes before killing it
 *                          so that a fork bomb is named as such (a few milliseconds, none of them
 *                          the program's: it is frozen at its limit first)
 * @param artifactsSize size of the {@code /out} tmpfs whose files come back with the result
 * @param artifactsFiles at most this many of them
 * @param testCasesOutputLimit bytes kept of all test cases' output together (each case keeps at
 *                             most {@code outputLimit} per stream); past it the container is killed
 * @param runtime the OCI runtime of the sandboxes: {@code runc} (Docker's default) or {@code runsc}
 *                (gVisor, a kernel in user space between the program and the host's; registered with
 *                the engine by deploy/dev/ensure-gvisor.sh); a language may name its own
 */
@Validated
@ConfigurationProperties("crucible.sandbox")
public record SandboxProperties(
        @DefaultValue("1MB") DataSize outputLimit,
        @DefaultValue("65534:65534") @NotBlank String user,
        @DefaultValue("64") @Min(8) long pidsLimit,
        @DefaultValue("16MB") DataSize tmpSize,
        @DefaultValue("256") @Min(16) long openFiles,
        @DefaultValue("16MB") DataSize fileSizeLimit,
        @DefaultValue("10s") Duration killGrace,
        @DefaultValue("true") boolean processLimitProbe,
        @DefaultValue("8MB") DataSize artifactsSize,
        @DefaultValue("100") @Min(0) int artifactsFiles,
        @DefaultValue("8MB") DataSize testCasesOutputLimit,
        @DefaultValue("runc") @jakarta.validation.constraints.Pattern(regexp = "[A-Za-z0-9_.-]+") String runtime) {

    /** The OCI runtime {@code language}'s containers run under: its own, or the installation's. */
    public String runtimeOf(dev.crucible.runtime.Language language) {
        return language.runtime() != null ? language.runtime() : runtime;
    }
}
