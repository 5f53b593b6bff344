package dev.crucible.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.crucible.docker.DockerDaemon;
import dev.crucible.docker.DockerProperties;
import dev.crucible.runtime.Language;
import dev.crucible.sandbox.SandboxOutcome.Kind;
import dev.crucible.support.TestDocker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

/**
 * The sandbox against the real Docker daemon: every limit is tried with a real hostile program.
 * The same suite runs on pooled containers ({@link PooledSandboxTest}): every rule holds on both.
 */
@Tag("docker")
class SandboxTest {

    static final Language PYTHON = new Language("python", "crucible-runtime/python:3.11", "main.py",
            List.of("python3", "-u", "main.py"), List.of());
    static final Language NODE = new Language("node", "crucible-runtime/node:18", "main.js",
            List.of("node", "main.js"), List.of());
    static final long MIB = 1024 * 1024;

    static final String INSTALLATION = "sandbox-test-" + UUID.randomUUID();
    static DockerDaemon daemon;
    static Sandbox sandbox;

    @BeforeAll
    static void connect() {
        daemon = new DockerDaemon(TestDocker.docker(),
                new DockerProperties(TestDocker.HOST, Duration.ofSeconds(10), Duration.ofSeconds(1), Duration.ofSeconds(60)));
        assertThat(daemon.check().up()).as("a Docker daemon answers at " + TestDocker.HOST).isTrue();
        sandbox = new Sandbox(TestDocker.docker(), daemon, properties(DataSize.ofMegabytes(1)));
    }

    @AfterAll
    static void nothingLeftBehind() {
        assertThat(TestDocker.evaluationContainers(SandboxLabels.INSTALLATION, INSTALLATION)).isEmpty();
    }

    static SandboxProperties properties(DataSize outputLimit) {
        return new SandboxProperties(outputLimit, "65534:65534", 64, DataSize.ofMegabytes(16), 256,
                DataSize.ofMegabytes(16), Duration.ofSeconds(10), true, DataSize.ofMegabytes(8), 100, DataSize.ofMegabytes(8), "runc");
    }

    static SandboxRequest request(Language language, String code, String stdin, Duration timeout) {
        String id = UUID.randomUUID().toString().substring(0, 8);
        return new SandboxRequest(language.name() + "-eval-test-" + id, language, code, stdin, 100 * MIB,
                1_000_000_000L, timeout,
                Map.of(SandboxLabels.EVAL_ID, "test-" + id, SandboxLabels.INSTALLATION, INSTALLATION));
    }

    SandboxOutcome run(Language language, String code) {
        return run(sandbox, request(language, code, "", Duration.ofSeconds(20)));
    }

    SandboxOutcome run(Sandbox sandbox, SandboxRequest request) {
        try (SandboxRun run = prepare(sandbox, request)) {
            return run.execute();
        }
    }

    /** How this suite's runs get their container: a fresh one here ({@link PooledSandboxTest}: a pooled one). */
    SandboxRun prepare(Sandbox sandbox, SandboxRequest request) {
        return sandbox.prepare(request.onRuntime(runtime()));
    }

    /** The OCI runtime this suite runs under ({@link GvisorSandboxTest}: runsc). */
    String runtime() {
        return "runc";
    }

    @Test
    void pythonPrintsAndCompletes() {
        SandboxOutcome o = run(PYTHON, "print('Hello from Docker!')");
        assertThat(o.kind()).isEqualTo(Kind.COMPLETED);
        assertThat(o.exitCode()).isZero();
        assertThat(o.stdout()).isEqualTo("Hello from Docker!\n");
        assertThat(o.output()).isEqualTo("Hello from Docker!\n");
        assertThat(o.stderr()).isEmpty();
        assertThat(o.failureReason()).isNull();
        assertThat(o.runtimeMs()).isNotNull().isLessThan(20_000);
        assertThat(o.image()).isEqualTo(PYTHON.image());
        assertThat(o.imageId()).startsWith("sha256:");
    }

    @Test
    void argumentsArriveIntactAsTheArgumentVectorNeverThroughAShell() {
        List<String> args = List.of("two words", "$(id)", "`id`", "'; rm -rf / #", "*", "", "ü € \\n", "--flag=1");
        String id = UUID.randomUUID().toString().substring(0, 8);
        SandboxRequest request = new SandboxRequest(PYTHON.name() + "-eval-test-" + id, PYTHON,
                "import json, sys\nprint(json.dumps(sys.argv[1:]))", "", 100 * MIB, 1_000_000_000L, Duration.ofSeconds(20),
                Map.of(SandboxLabels.EVAL_ID, "test-" + id, SandboxLabels.INSTALLATION, INSTALLATION), args, Map.of());
        SandboxOutcome o = run(sandbox, request);
        assertThat(o.kind()).as(o.toString()).isEqualTo(Kind.COMPLETED);
        assertThat(tools.jackson.databind.json.JsonMapper.builder().build().readValue(o.stdout(), List.class))
                .isEqualTo(args);
    }

    @Test
    void filesBesideTheProgramAreImportedFromTheirFoldersAndCannotBeChanged() {
        String id = UUID.randomUUID().toString().substring(0, 8);
        Map<String, String> files = new java.util.LinkedHashMap<>();
        files.put("helper.py", "def twice(x):\n    return 2 * x\n");
        files.put("pkg/__init__.py", "");
        files.put("pkg/deep/util.py", "NAME = 'deep'\n");
        files.put("data/input.txt", "from a file\n");
        String code = "from helper import twice\nfrom pkg.deep.util import NAME\n"
                + "print(twice(21), NAME, open('data/input.txt').read().strip())\n"
                + "try:\n    open('helper.py', 'w')\nexcept OSError as e:\n    print('read-only', type(e).__name__)\n";
        SandboxRequest request = new SandboxRequest(PYTHON.name() + "-eval-test-" + id, PYTHON, code, "", 100 * MIB,
                1_000_000_000L, Duration.ofSeconds(20),
                Map.of(SandboxLabels.EVAL_ID, "test-" + id, SandboxLabels.INSTALLATION, INSTALLATION), List.of(), files);
        SandboxOutcome o = run(sandbox, request);
        assertThat(o.kind()).as(o.toString()).isEqualTo(Kind.COMPLETED);
        assertThat(o.stdout()).startsWith("42 deep from a file\nread-only ");
    }

    @Test
    void cpuTimeAndPeakMemoryAreMeasuredInsideTheContainer() {
        SandboxOutcome holding = run(PYTHON, "b = bytearray(50 * 1024 * 1024)\nfor i in range(0, len(b), 4096): b[i] = 1\nprint('held')");
        assertThat(holding.stdout()).isEqualTo("held\n");
        assertThat(holding.peakMemoryKb()).as("a program holding 50 MiB").isGreaterThanOrEqualTo(50 * 1024L);
        SandboxOutcome small = run(PYTHON, "print(1)");
        assertThat(small.peakMemoryKb()).as("print(1)").isPositive().isLessThan(30 * 1024L);

        SandboxOutcome busy = run(PYTHON, "import time\nend = time.process_time() + 1\nwhile time.process_time() < end: pass");
        assertThat(busy.kind()).isEqualTo(Kind.COMPLETED);
        assertThat(busy.cpuTimeMs()).as("a one-second busy loop").isBetween(900L, 1600L);
        SandboxOutcome sleeping = run(PYTHON, "import time\ntime.sleep(1)");
        assertThat(sleeping.cpuTimeMs()).as("a one-second sleep").isBetween(0L, 300L);
        assertThat(sleeping.runtimeMs()).isGreaterThanOrEqualTo(1000L);
        // children count too: a shell-free fork of the interpreter that burns CPU
        SandboxOutcome child = run(PYTHON, "import subprocess, sys\nsubprocess.run([sys.executable, '-c', "
                + "'import time\\nend = time.process_time() + 0.5\\nwhile time.process_time() < end: pass'])");
        assertThat(child.cpuTimeMs()).as("a child's half second").isGreaterThanOrEqualTo(450L);
    }

    @Test
    void nodeRuns() {
        SandboxOutcome o = run(NODE, "console.log('node', process.versions.node.split('.')[0]); console.error('oops')");
        assertThat(o.kind()).isEqualTo(Kind.COMPLETED);
        assertThat(o.stdout()).isEqualTo("node 18\n");
        assertThat(o.stderr()).isEqualTo("oops\n");
    }

    @Test
    void stdinReachesTheProgramAndEnds() {
        SandboxOutcome o = run(sandbox, request(PYTHON, "import sys\ndata = sys.stdin.read()\nprint(len(data.splitlines()), data.upper(), end='')",
                "first\nsecond\n", Duration.ofSeconds(20)));
        assertThat(o.kind()).isEqualTo(Kind.COMPLETED);
        assertThat(o.stdout()).isEqualTo("2 FIRST\nSECOND\n");
    }

    @Test
    void withoutStdinTheProgramSeesEndOfFile() {
        SandboxOutcome o = run(PYTHON, "import sys\nprint(repr(sys.stdin.read()))");
        assertThat(o.stdout()).isEqualTo("''\n");
    }

    @Test
    void stdoutAndStderrAreKeptApartAndCombinedInWriteOrder() {
        SandboxOutcome o = run(PYTHON, """
                import sys, time
                print("one")
                time.sleep(0.05)
                print("two", file=sys.stderr)
                time.sleep(0.05)
                print("three")
                raise SystemExit("bye")
                """);
        assertThat(o.kind()).isEqualTo(Kind.FAILED);
        assertThat(o.exitCode()).isEqualTo(1);
        assertThat(o.failureReason()).isEqualTo("nonzero_exit");
        assertThat(o.stdout()).isEqualTo("one\nthree\n");
        assertThat(o.stderr()).isEqualTo("two\nbye\n");
        assertThat(o.output()).isEqualTo("one\ntwo\nthree\nbye\n");
    }

    @Test
    void unicodeAndInvalidUtf8OutputSurvive() {
        SandboxOutcome o = run(PYTHON, """
                import sys
                print("héllo ✓ 日本 🎉")
                sys.stdout.flush()
                sys.stdout.buffer.write(b"bad:\\xff\\xfe:end\\n")
                """);
        assertThat(o.kind()).isEqualTo(Kind.COMPLETED);
        assertThat(o.stdout()).isEqualTo("héllo ✓ 日本 🎉\nbad:\uFFFD\uFFFD:end\n");
    }

    @Test
    void aOneMebibyteProgramRuns() {
        String padding = "# " + "x".repeat(1024 * 1024 - 100) + "\n";
        String code = padding + "print(len(open(__file__).read()))\n";
        assertThat(code.length()).isGreaterThan(1024 * 1024 - 100).isLessThanOrEqualTo(1024 * 1024);
        SandboxOutcome o = run(PYTHON, code);
        assertThat(o.kind()).isEqualTo(Kind.COMPLETED);
        assertThat(o.stdout().trim()).isEqualTo(Integer.toString(code.length()));
    }

    @Test
    void aMemoryHogIsKilledAndNamed() {
        SandboxOutcome o = run(PYTHON, "x = bytearray(400 * 1024 * 1024)\nprint('survived')");
        assertThat(o.kind()).isEqualTo(Kind.FAILED);
        assertThat(o.failureReason()).isEqualTo("memory_limit");
        assertThat(o.exitCode()).isEqualTo(137);
        assertThat(o.stdout()).doesNotContain("survived");
    }

    @Test
    void aForkBombIsContainedAndNamed() {
        SandboxOutcome o = run(sandbox, request(PYTHON, """
                import os
                while True:
                    try:
                        os.fork()
                    except OSError:
                        pass
                """, "", Duration.ofSeconds(3)));
        assertForkBombContained(o);
    }

    /** Under runc the pids limit holds a fork bomb, and it is named at its time limit. */
    void assertForkBombContained(SandboxOutcome o) {
        assertThat(o.kind()).as(o.toString()).isEqualTo(Kind.TIMEOUT);
        assertThat(o.failureReason()).isEqualTo("process_limit");
        assertThat(o.error()).contains("fork bomb");
    }

    @Test
    void aProgramCannotForgeTheLaunchersFrames() {
        // PID 1 (and the launcher, its parent) hold the stream the platform reads: a program that
        // could write there could put words in its own stderr, or end its output early
        SandboxOutcome o = run(PYTHON, """
                import os, struct
                text = b"FORGED by the program"
                frame = bytes([2]) + struct.pack(">I", len(text)) + text
                for pid in sorted({1, os.getppid()}):
                    for fd in (0, 1, 2):
                        try:
                            with open(f"/proc/{pid}/fd/{fd}", "wb", buffering=0) as f:
                                f.write(frame)
                            print("wrote", pid, fd)
                        except OSError as e:
                            print("refused", pid, fd)
                """);
        assertThat(o.kind()).as(o.toString()).isEqualTo(Kind.COMPLETED);
        // the stream is the launcher's stdout and stderr (in a pooled container its stdin is /dev/null,
        // which gVisor lets anyone open for writing, to no effect)
        assertThat(o.stdout()).contains("refused 1 1").contains("refused 1 2").doesNotContainPattern("wrote \\d+ [12]");
        assertThat(o.stderr()).doesNotContain("FORGED");
        assertThat(o.output()).doesNotContain("FORGED");
    }

    @Test
    void theLauncherDoesInitsWorkReapingOrphansAndPassingSignalsOn() {
        SandboxOutcome o = run(PYTHON, """
                import os, signal, time
                # an orphan: the child exits at once, its child (re-parented to PID 1) a moment later
                if os.fork() == 0:
                    if os.fork() == 0:
                        time.sleep(0.2)
                        os._exit(0)
                    os._exit(0)
                os.wait()
                time.sleep(1)
                zombies = []
                for pid in filter(str.isdigit, os.listdir("/proc")):
                    try:
                        if open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()[0] == "Z":
                            zombies.append(pid)
                    except OSError:
                        pass
                print("zombies", zombies)
                # a signal for the container (docker stop sends SIGTERM to PID 1) reaches the program
                got = []
                signal.signal(signal.SIGTERM, lambda s, f: got.append(s))
                try:
                    os.kill(1, signal.SIGTERM)
                except PermissionError:
                    print("PID 1 is another user")
                deadline = time.time() + 5
                while not got and time.time() < deadline:
                    time.sleep(0.01)
                print("forwarded", got == [signal.SIGTERM])
                """);
        assertThat(o.kind()).as(o.toString()).isEqualTo(Kind.COMPLETED);
        // under gVisor the launcher is another user than the program, which cannot signal it
        // (aSignalForTheContainerReachesTheProgram sends one from outside)
        assertThat(o.stdout()).contains("zombies []")
                .contains(runtime().equals("runsc") ? "PID 1 is another user" : "forwarded True");
    }

    @Test
    void aSignalForTheContainerReachesTheProgram() throws Exception {
        // docker stop sends SIGTERM to PID 1, the launcher: the program gets it
        SandboxRequest request = request(PYTHON, """
                import signal, sys, time
                signal.signal(signal.SIGTERM, lambda s, f: (print("got TERM"), sys.exit(0)))
                print("ready", flush=True)
                time.sleep(20)
                print("no signal came")
                """, "", Duration.ofSeconds(30));
        try (SandboxRun run = prepare(sandbox, request)) {
            CompletableFuture<SandboxOutcome> outcome = CompletableFuture.supplyAsync(run::execute);
            // the program needs its handler first (a Python start, slower under gVisor), and a pooled
            // container's launcher ignores a signal while it waits for its program: wait, then repeat
            Thread.sleep(2_000);
            while (!outcome.isDone()) {
                Thread.sleep(500);
                try {
                    TestDocker.client().killContainerCmd(run.containerId()).withSignal("TERM").exec();
                } catch (RuntimeException ended) {
                    // it ended meanwhile
                }
            }
            SandboxOutcome o = outcome.get(20, TimeUnit.SECONDS);
            assertThat(o.kind()).as(o.toString()).isEqualTo(Kind.COMPLETED);
            assertThat(o.stdout()).isEqualTo("ready\ngot TERM\n");
        }
    }

    @Test
    void aBusyLoopIsStoppedWithin100MillisecondsOfItsTimeLimit() {
        for (int i = 0; i < 3; i++) {
            SandboxOutcome o = run(sandbox, request(PYTHON, "while True: pass", "", Duration.ofSeconds(1)));
            assertThat(o.kind()).isEqualTo(Kind.TIMEOUT);
            assertThat(o.failureReason()).isEqualTo("timeout");
            assertThat(o.runtimeMs()).as("runtime_ms").isBetween(950L, 1_150L);
        }
    }

    @Test
    void anEndlessLoopTimesOut() {
        SandboxOutcome o = run(sandbox, request(PYTHON, "print('start')\nwhile True: pass", "", Duration.ofSeconds(2)));
        assertThat(o.kind()).isEqualTo(Kind.TIMEOUT);
        assertThat(o.failureReason()).isEqualTo("timeout");
        assertThat(o.stdout()).isEqualTo("start\n");
        assertThat(o.runtimeMs()).isBetween(2_000L, 10_000L);
    }

    @Test
    void thereIsNoNetwork() {
        SandboxOutcome o = run(PYTHON, """
                import socket
                try:
                    socket.create_connection(("1.1.1.1", 53), timeout=3)
                    print("connected")
                except OSError as e:
                    print("connect:", e.errno)
                try:
                    socket.getaddrinfo("example.com", 80)
                    print("resolved")
                except OSError as e:
                    print("dns failed")
                print(sorted(name for _, name in socket.if_nameindex()))
                """);
        // ENETUNREACH from the host's kernel, EHOSTUNREACH from gVisor's
        assertThat(o.stdout()).containsPattern("connect: (101|113)\n").contains("dns failed").doesNotContain("connected")
                .doesNotContain("resolved").contains("['lo']");
    }

    @Test
    void theRootFilesystemIsReadOnlyAndTmpIsSmall() {
        SandboxOutcome o = run(PYTHON, """
                import errno
                for path in ["/etc/evil", "/code/main.py", "/usr/bin/evil"]:
                    try:
                        open(path, "w").write("x")
                        print(path, "WRITTEN")
                    except OSError as e:
                        print(path, errno.errorcode[e.errno])
                open("/tmp/ok", "w").write("fine")
                print(open("/tmp/ok").read())
                import os, subprocess
                with open("/tmp/tool", "w") as f:
                    f.write("#!/bin/sh\\necho ran\\n")
                os.chmod("/tmp/tool", 0o755)
                try:
                    subprocess.run(["/tmp/tool"])
                    print("tool RAN")
                except PermissionError:
                    print("tool noexec")
                try:
                    with open("/tmp/big", "wb") as f:
                        for _ in range(64):
                            f.write(b"x" * 1024 * 1024)
                    print("big WRITTEN")
                except OSError as e:
                    print("big", errno.errorcode[e.errno])
                """);
        // EROFS from the host's kernel; gVisor answers EACCES for its read-only root
        assertThat(o.stdout()).containsPattern("/etc/evil (EROFS|EACCES)\n").containsPattern("/usr/bin/evil (EROFS|EACCES)\n")
                .contains("/code/main.py EACCES").contains("fine").doesNotContain("WRITTEN")
                .contains("tool noexec").doesNotContain("ran\n")
                .containsPattern("big (ENOSPC|EFBIG)");
    }

    @Test
    void theProgramRunsUnprivilegedWithNothingFromTheHost() {
        SandboxOutcome o = run(PYTHON, """
                import os, resource
                print("uid", os.getuid(), os.getgid())
                import ctypes
                status = dict(line.split(":", 1) for line in open("/proc/self/status") if ":" in line)
                # PR_GET_NO_NEW_PRIVS (gVisor's status file has no NoNewPrivs line)
                print("capeff", status["CapEff"].strip(), "nnp", ctypes.CDLL(None).prctl(39, 0, 0, 0, 0))
                print("env", sorted(os.environ))
                print("nofile", resource.getrlimit(resource.RLIMIT_NOFILE))
                print("pid1", open("/proc/1/cmdline").read().split("\\0")[0])
                print("core", resource.getrlimit(resource.RLIMIT_CORE))
                try:
                    resource.setrlimit(resource.RLIMIT_CORE, (1 << 20, 1 << 20))
                    print("core raised")
                except (ValueError, OSError):
                    print("core stays off")
                """);
        assertThat(o.stdout())
                .contains("uid 65534 65534")
                .contains("capeff 0000000000000000 nnp 1")
                .contains("nofile (256, 256)")
                .containsPattern("pid1 /(code|crucible)/\\.crucible-launch\n") // fresh / pooled
                .contains("core (0, 0)").contains("core stays off");
        String env = o.stdout().lines().filter(l -> l.startsWith("env ")).findFirst().orElseThrow();
        assertThat(env).isEqualTo("env ['HOME', 'HOSTNAME', 'LANG', 'PATH']");
    }

    @Test
    void theCpuLimitHoldsBusyProcessesToTheirShare() throws Exception {
        // three busy processes with half a CPU, measured from the host (the container's cgroup, as
        // docker stats reads it): under gVisor the guest's own CPU times count the time its tasks
        // waited for the throttled sandbox, so only the host can tell the share
        SandboxRequest request = new SandboxRequest("python-eval-test-cpu-" + UUID.randomUUID().toString().substring(0, 8),
                PYTHON, """
                import os, time
                def spin(seconds):
                    end = time.monotonic() + seconds
                    while time.monotonic() < end:
                        pass
                children = []
                for _ in range(3):
                    pid = os.fork()
                    if pid == 0:
                        spin(5)
                        os._exit(0)
                    children.append(pid)
                for pid in children:
                    os.waitpid(pid, 0)
                print("done")
                """, "", 100 * MIB, 500_000_000L, Duration.ofSeconds(30),
                Map.of(SandboxLabels.EVAL_ID, "test-cpu", SandboxLabels.INSTALLATION, INSTALLATION));
        try (SandboxRun run = prepare(sandbox, request)) {
            CompletableFuture<SandboxOutcome> outcome = CompletableFuture.supplyAsync(run::execute);
            Thread.sleep(2_500);
            com.github.dockerjava.api.model.Statistics stats = TestDocker.client().statsCmd(run.containerId()).withNoStream(true)
                    .exec(new com.github.dockerjava.core.InvocationBuilder.AsyncResultCallback<>()).awaitResult();
            double used = stats.getCpuStats().getCpuUsage().getTotalUsage() - stats.getPreCpuStats().getCpuUsage().getTotalUsage();
            double system = stats.getCpuStats().getSystemCpuUsage() - stats.getPreCpuStats().getSystemCpuUsage();
            double cpus = used / system * stats.getCpuStats().getOnlineCpus();
            // half a CPU, where an unlimited container would take both cores
            assertThat(cpus).as("CPUs used").isBetween(0.1, 0.75);
            SandboxOutcome o = outcome.get(30, TimeUnit.SECONDS);
            assertThat(o.kind()).as(o.toString()).isEqualTo(Kind.COMPLETED);
            assertThat(o.stdout()).isEqualTo("done\n");
        }
    }

    @Test
    void anOutputFloodIsCappedAndKilled() {
        Sandbox small = new Sandbox(TestDocker.docker(), daemon, properties(DataSize.ofKilobytes(64)));
        SandboxOutcome o = run(small, request(PYTHON, """
                import sys
                sys.stderr.write("starting\\n")
                while True:
                    sys.stdout.write("x" * 4096)
                """, "", Duration.ofSeconds(30)));
        assertThat(o.kind()).isEqualTo(Kind.FAILED);
        assertThat(o.failureReason()).isEqualTo("output_limit");
        assertThat(o.outputTruncated()).isTrue();
        assertThat(o.stdout()).hasSize(64 * 1024).matches("x+");
        assertThat(o.stderr()).isEqualTo("starting\n");
        assertThat(o.runtimeMs()).isLessThan(20_000);
    }

    @Test
    void outputJustPastTheLimitCountsAsAnOutputFloodEvenWhenTheProgramExitsAtOnce() {
        Sandbox small = new Sandbox(TestDocker.docker(), daemon, properties(DataSize.ofKilobytes(64)));
        SandboxOutcome o = run(small, request(PYTHON, "import sys\nsys.stdout.write('y' * (64 * 1024 + 10))",
                "", Duration.ofSeconds(30)));
        assertThat(o.kind()).isEqualTo(Kind.FAILED);
        assertThat(o.failureReason()).isEqualTo("output_limit");
        assertThat(o.outputTruncated()).isTrue();
        assertThat(o.stdout()).hasSize(64 * 1024);
    }

    @Test
    void aBackgroundProcessThatKeepsWritingDoesNotKeepTheRunAlive() {
        SandboxOutcome o = run(sandbox, request(PYTHON, """
                import subprocess, sys
                subprocess.Popen([sys.executable, "-c",
                    "import time\\nwhile True:\\n    print('bg', flush=True)\\n    time.sleep(0.05)"])
                print("main done", flush=True)
                """, "", Duration.ofSeconds(20)));
        assertThat(o.kind()).isEqualTo(Kind.COMPLETED);
        assertThat(o.stdout()).startsWith("main done\n");
        assertThat(o.runtimeMs()).isLessThan(10_000);
    }

    @Test
    void aCommandThatDoesNotExistFailsClearly() {
        Language broken = new Language("broken", PYTHON.image(), "main.py", List.of("no-such-interpreter", "main.py"), List.of());
        SandboxOutcome o = run(broken, "print(1)");
        assertThat(o.kind()).isEqualTo(Kind.FAILED);
        assertThat(o.exitCode()).isEqualTo(127);
        assertThat(o.stderr()).contains("cannot run no-such-interpreter");
    }

    @Test
    void aMissingImageIsReportedAsSuch() {
        Language ghost = new Language("ghost", "crucible-runtime/does-not-exist:0", "main.py", List.of("python3", "main.py"), List.of());
        try {
            prepare(sandbox, request(ghost, "print(1)", "", Duration.ofSeconds(5))).close();
            throw new AssertionError("prepare should have failed");
        } catch (ImageUnavailableException expected) {
            assertThat(expected.getMessage()).contains("crucible-runtime/does-not-exist:0");
        }
    }

    @Test
    void aRunningProgramCanBeCancelled() throws Exception {
        SandboxRequest request = request(PYTHON, "import time\nprint('up', flush=True)\ntime.sleep(60)", "", Duration.ofSeconds(60));
        try (SandboxRun run = prepare(sandbox, request)) {
            CompletableFuture<SandboxOutcome> outcome = CompletableFuture.supplyAsync(run::execute);
            // the container really runs before the cancel
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).until(() ->
                    TestDocker.client().inspectContainerCmd(run.containerId()).exec().getState().getRunning());
            run.cancel();
            SandboxOutcome o = outcome.get(20, TimeUnit.SECONDS);
            assertThat(o.kind()).isEqualTo(Kind.CANCELLED);
            assertThat(o.failureReason()).isEqualTo("cancelled");
        }
    }

    @Test
    void theContainerIsNamedLabelledAndRemovedAfterwards() {
        SandboxRequest request = request(PYTHON, "print('x')", "", Duration.ofSeconds(20));
        String containerId;
        try (SandboxRun run = prepare(sandbox, request)) {
            containerId = run.containerId();
            var inspected = TestDocker.client().inspectContainerCmd(containerId).exec();
            assertThat(inspected.getName()).isEqualTo("/" + request.containerName());
            assertThat(inspected.getConfig().getLabels()).containsAllEntriesOf(request.labels());
            assertThat(inspected.getHostConfig().getNetworkMode()).isEqualTo("none");
            assertThat(inspected.getHostConfig().getMemory()).isEqualTo(100 * MIB);
            assertThat(inspected.getHostConfig().getMemorySwap()).isEqualTo(100 * MIB);
            boolean gvisor = runtime().equals("runsc");
            // gVisor's own threads count in the pids cgroup; the program is another user than its launcher
            assertThat(inspected.getHostConfig().getPidsLimit()).isEqualTo(gvisor ? 512L : 64L);
            assertThat(inspected.getHostConfig().getRuntime()).isEqualTo(runtime());
            assertThat(inspected.getHostConfig().getNanoCPUs()).isEqualTo(1_000_000_000L);
            assertThat(inspected.getHostConfig().getCapDrop()).extracting(Object::toString).containsExactly("ALL");
            assertThat(inspected.getHostConfig().getSecurityOpts()).containsExactly("no-new-privileges");
            assertThat(inspected.getConfig().getUser()).isEqualTo(gvisor ? "0:0" : "65534:65534");
            assertThat(inspected.getHostConfig().getCapAdd() == null ? List.of() : List.of(inspected.getHostConfig().getCapAdd()))
                    .extracting(Object::toString)
                    .containsExactlyInAnyOrderElementsOf(gvisor ? List.of("SETUID", "SETGID", "KILL") : List.of());
            assertThat(inspected.getHostConfig().getReadonlyRootfs()).isTrue();
            assertThat(inspected.getHostConfig().getInit()).isFalse(); // the launcher is PID 1
            assertThat(inspected.getHostConfig().getUlimits()).extracting(Object::toString)
                    .anyMatch(u -> u.contains("core") && u.contains("soft=0") && u.contains("hard=0"));
            assertThat(inspected.getHostConfig().getLogConfig().getType().getType()).isEqualTo("none");
            run.execute();
        }
        assertThat(TestDocker.client().listContainersCmd().withShowAll(true)
                .withIdFilter(List.of(containerId)).exec()).isEmpty();
    }
}
