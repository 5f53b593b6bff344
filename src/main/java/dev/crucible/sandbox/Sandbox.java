package dev.crucible.sandbox;

import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.LogConfig;
import com.github.dockerjava.api.model.Ulimit;
import com.github.dockerjava.api.model.Volume;
import dev.crucible.docker.Docker;
import dev.crucible.docker.DockerDaemon;
import dev.crucible.docker.DockerUnavailableException;
import dev.crucible.runtime.Language;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Runs untrusted programs, each in its own fresh sibling container on the host's Docker daemon:
 * no network, memory without swap, CPU and process limits, read-only root filesystem with a small
 * {@code /tmp}, no capabilities, no new privileges, an unprivileged user, the launcher as PID 1,
 * nofile and fsize ulimits, no core dumps, nothing from the host's environment, and no daemon-side log (output is
 * read from the attached streams and capped here).
 */
@Component
public class Sandbox {

    private static final Logger log = LoggerFactory.getLogger(Sandbox.class);

    /** Where the program and its stdin are copied (an anonymous volume: the root is read-only). */
    static final String CODE_DIR = "/code";
    /**
     * The launcher runs the language's command (an argument vector, no shell) with stdin from the
     * stdin file, and frames the program's stdout and stderr onto one ordered stream.
     */
    static final List<String> ENTRYPOINT = List.of(CODE_DIR + "/" + CodeArchive.LAUNCHER_FILE,
            CODE_DIR + "/" + CodeArchive.STDIN_FILE);

    private final Docker docker;
    private final DockerDaemon daemon;
    private final SandboxProperties properties;
    private final CodeArchive codeArchive = new CodeArchive();
    /**
     * The named volume that holds this build's launcher for every pooled container on the host,
     * mounted read-only: filled once instead of copied into each container (a copy costs the
     * daemon about 150 ms, whatever its size).
     */
    private final String launcherVolume = LAUNCHER_VOLUME_PREFIX + codeArchive.launcherDigest();
    private final Object launcherVolumeLock = new Object();
    /** True once this process has seen the volume hold this build's launcher; a failed start looks again. */
    private volatile boolean launcherVolumeChecked;

    public Sandbox(Docker docker, DockerDaemon daemon, SandboxProperties properties) {
        this.docker = docker;
        this.daemon = daemon;
        this.properties = properties;
    }

    /**
     * Creates the container and copies the program in; nothing runs yet. The caller must close
     * the returned run, which removes the container whatever happened.
     *
     * @throws DockerUnavailableException the daemon did not answer (nothing was left behind that
     *                                    the reaper will not remove)
     * @throws ImageUnavailableException  the runtime image is missing
     */
    public SandboxRun prepare(SandboxRequest request) {
        String containerId = null;
        try {
            containerId = create(request);
            byte[] archive = codeArchive.of(request.programFile(), request.code(), request.stdin(), request.files(),
                    request.cases());
            docker.calls().copyArchiveToContainerCmd(containerId)
                    .withRemotePath(CODE_DIR)
                    .withTarInputStream(new ByteArrayInputStream(archive))
                    .exec();
            if (!request.build().isEmpty()) {
                docker.calls().copyArchiveToContainerCmd(containerId)
                        .withRemotePath(Language.BUILD_DIR)
                        .withTarInputStream(new ByteArrayInputStream(CodeArchive.ofBuild(request.build())))
                        .exec();
            }
            daemon.reportWorking();
            return new SandboxRun(docker, daemon, properties, request, containerId, null, null);
        } catch (RuntimeException e) {
            if (containerId != null) {
                remove(containerId);
            }
            throw translate(e);
        }
    }

    private String create(SandboxRequest request) {
        try {
            return createCommand(request).exec().getId();
        } catch (ConflictException e) {
            // A container of an earlier attempt of this evaluation still exists (its worker died
            // before removing it). Only one container per evaluation may exist: remove it first.
            log.warn("Removing leftover container {} before running it again", request.containerName());
            return createAfterRemoving(request);
        } catch (NotFoundException e) {
            throw new ImageUnavailableException(request.language().image());
        }
    }

    private String createAfterRemoving(SandboxRequest request) {
        for (int attempt = 1; ; attempt++) {
            remove(request.containerName());
            try {
                return createCommand(request).exec().getId();
            } catch (ConflictException stillThere) {
                // a removal already under way answers 409 until it is done
                if (attempt == 20) {
                    throw stillThere;
                }
                try {
                    Thread.sleep(250);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw stillThere;
                }
            }
        }
    }

    private CreateContainerCmd createCommand(SandboxRequest request) {
        Map<String, String> tmpfs = new java.util.LinkedHashMap<>();
        tmpfs.put("/tmp", "rw,noexec,nosuid,nodev,size=" + properties.tmpSize().toBytes() + ",mode=1777");
        if (request.collect() != null) {
            // a folder of its own whose files come back: nothing is executed from it
            tmpfs.put(request.collect().dir(), "rw,noexec,nosuid,nodev,size=" + request.collect().maxBytes() + ",mode=1777");
        }
        List<String> entrypoint = new ArrayList<>();
        entrypoint.add(ENTRYPOINT.get(0));
        entrypoint.addAll(launcherArguments(request));
        List<Volume> volumes = new ArrayList<>(List.of(new Volume(CODE_DIR)));
        if (!request.build().isEmpty()) {
            // the compiled program, read-only like the code and, unlike /tmp, executable
            volumes.add(new Volume(Language.BUILD_DIR));
        }
        return containerCommand(request.language().image(), request.containerName(), request.labels(), entrypoint,
                request.command(), request.stage() == SandboxRequest.Stage.RUN && request.collect() != null
                        ? List.of("CRUCIBLE_OUTPUT_DIR=" + request.collect().dir()) : List.of(),
                volumes, request.language(), hostConfig(request.language(), request.memoryBytes(), request.nanoCpus(), tmpfs))
                .withAttachStdin(false)
                .withStdinOpen(false);
    }

    /**
     * What the launcher is told after its own path: the program's user when the launcher is
     * another (a guest kernel's root: see {@link #separatesUsers}), what to collect, the test
     * cases or the time limit (kept by the launcher from the program's start: a pooled container
     * has been running long before its program exists) and the stdin file; the command follows.
     */
    List<String> launcherArguments(SandboxRequest request) {
        List<String> arguments = new ArrayList<>();
        if (separatesUsers(request.language())) {
            arguments.addAll(List.of("--as", properties.user()));
        }
        if (request.collect() != null) {
            arguments.addAll(List.of("--collect", request.collect().dir(), Integer.toString(request.collect().maxFiles()),
                    Long.toString(request.collect().maxBytes())));
        }
        if (!request.cases().isEmpty()) {
            // each case within its own time and output limit, enforced by the launcher
            arguments.addAll(List.of("--cases", CODE_DIR + "/" + CodeArchive.CASES_DIR, Integer.toString(request.cases().size()),
                    Long.toString(request.caseTimeout().toMillis()), Long.toString(properties.outputLimit().toBytes())));
        } else {
            arguments.addAll(List.of("--timeout", Long.toString(request.timeout().toMillis())));
        }
        arguments.add(ENTRYPOINT.get(1));
        return arguments;
    }

    /**
     * Creates and starts a pooled container: every rule of a fresh one, with the launcher waiting
     * for its program on the attached stdin (see crucible-launch.c's --wait). Its {@code /code} and
     * {@code /build} are small file systems of the program's user, where the launcher writes what
     * it is delivered; the launcher itself sits in a volume of its own, root's and read-only.
     *
     * @return the container's id and image id
     * @throws DockerUnavailableException the daemon did not answer (the caller removes by name)
     * @throws ImageUnavailableException  the runtime image is missing
     */
    String[] startPooled(PoolShape shape, String name, Map<String, String> labels) {
        // the launcher writes the delivery there: as the program's user, or as a guest kernel's
        // root (then the program cannot change its files, as in a fresh container's volume)
        String[] user = properties.user().split(":");
        String owner = separatesUsers(shape.language()) ? ",mode=0755"
                : ",uid=" + user[0] + ",gid=" + (user.length > 1 ? user[1] : user[0]) + ",mode=0755";
        Map<String, String> tmpfs = new java.util.LinkedHashMap<>();
        tmpfs.put("/tmp", "rw,noexec,nosuid,nodev,size=" + properties.tmpSize().toBytes() + ",mode=1777");
        tmpfs.put(SandboxRequest.OUTPUT_DIR, "rw,noexec,nosuid,nodev,size=" + properties.artifactsSize().toBytes() + ",mode=1777");
        tmpfs.put(CODE_DIR, "rw,noexec,nosuid,nodev,size=" + POOLED_CODE_BYTES + owner);
        tmpfs.put(Language.BUILD_DIR, "rw,exec,nosuid,nodev,size=" + POOLED_BUILD_BYTES + owner);
        String containerId = null;
        try {
            ensureLauncherVolume(shape, name + LAUNCHER_CHECK_SUFFIX, labels, tmpfs);
            try {
                containerId = containerCommand(shape.language().image(), name, labels,
                        List.of(POOLED_LAUNCHER, "--wait"), List.of(), List.of("CRUCIBLE_OUTPUT_DIR=" + SandboxRequest.OUTPUT_DIR),
                        List.of(), shape.language(),
                        hostConfig(shape.language(), shape.memoryBytes(), shape.nanoCpus(), tmpfs)
                                .withMounts(List.of(launcherMount(true))))
                        .withAttachStdin(true)
                        .withStdinOpen(true)
                        .withStdInOnce(true)
                        .exec().getId();
            } catch (NotFoundException e) {
                throw new ImageUnavailableException(shape.language().image());
            }
            docker.calls().startContainerCmd(containerId).exec();
            String imageId = docker.calls().inspectContainerCmd(containerId).exec().getImageId();
            daemon.reportWorking();
            return new String[] {containerId, imageId};
        } catch (RuntimeException e) {
            // the launcher volume may be what failed (removed by a prune while nothing mounted it)
            launcherVolumeChecked = false;
            remove(containerId != null ? containerId : name);
            throw translate(e);
        }
    }

    /**
     * Makes sure the launcher volume holds this build's launcher: through a container that mounts
     * it writable and is never started (named {@code checker}, with the pool's labels, so the
     * reaper removes it if this process dies meanwhile), it reads the launcher back and copies it
     * in when it is missing or differs. Two processes on one host may both copy: the same bytes.
     */
    private void ensureLauncherVolume(PoolShape shape, String checker, Map<String, String> labels, Map<String, String> tmpfs) {
        if (launcherVolumeChecked) {
            return;
        }
        synchronized (launcherVolumeLock) {
            if (launcherVolumeChecked) {
                return;
            }
            String checkerId = null;
            try {
                try {
                    checkerId = containerCommand(shape.language().image(), checker, labels, List.of(POOLED_LAUNCHER), List.of(),
                            List.of(), List.of(), shape.language(),
                            hostConfig(shape.language(), shape.memoryBytes(), shape.nanoCpus(), tmpfs)
                                    .withMounts(List.of(launcherMount(false))))
                            .exec().getId();
                } catch (NotFoundException e) {
                    throw new ImageUnavailableException(shape.language().image());
                }
                if (!holdsLauncher(checkerId)) {
                    log.info("Filling the launcher volume {}", launcherVolume);
                    docker.calls().copyArchiveToContainerCmd(checkerId)
                            .withRemotePath(POOLED_LAUNCHER_DIR)
                            .withTarInputStream(new ByteArrayInputStream(codeArchive.launcherOnly()))
                            .exec();
                    if (!holdsLauncher(checkerId)) {
                        throw new IllegalStateException("the volume " + launcherVolume
                                + " does not hold this build's launcher after copying it in");
                    }
                }
                launcherVolumeChecked = true;
            } finally {
                remove(checkerId != null ? checkerId : checker);
            }
        }
    }

    private boolean holdsLauncher(String containerId) {
        try (java.io.InputStream tar = docker.calls().copyArchiveFromContainerCmd(containerId, POOLED_LAUNCHER).exec()) {
            return codeArchive.isLauncher(tar);
        } catch (NotFoundException e) {
            return false;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private com.github.dockerjava.api.model.Mount launcherMount(boolean readOnly) {
        return new com.github.dockerjava.api.model.Mount()
                .withType(com.github.dockerjava.api.model.MountType.VOLUME)
                .withSource(launcherVolume)
                .withTarget(POOLED_LAUNCHER_DIR)
                .withReadOnly(readOnly);
    }

    String launcherVolume() {
        return launcherVolume;
    }

    /**
     * A pooled container's run of {@code request}: the container is named after the run (labels
     * cannot change after creation, names can), so that which container took which evaluation is
     * known to the daemon, and a second container of the same evaluation cannot exist beside it;
     * its program goes in over the attached stdin when the run executes.
     *
     * @throws DockerUnavailableException the daemon did not answer (the caller discards the container)
     */
    SandboxRun preparePooled(SandboxRequest request, String containerId, String imageId) {
        try {
            try {
                docker.calls().renameContainerCmd(containerId).withName(request.containerName()).exec();
            } catch (ConflictException e) {
                log.warn("Removing leftover container {} before running it again", request.containerName());
                remove(request.containerName());
                docker.calls().renameContainerCmd(containerId).withName(request.containerName()).exec();
            }
        } catch (RuntimeException e) {
            throw translate(e);
        }
        List<String> arguments = launcherArguments(request);
        arguments.addAll(request.command());
        byte[] delivery = CodeArchive.delivery(request, arguments);
        return new SandboxRun(docker, daemon, properties, request, containerId, delivery, imageId);
    }

    /** Where a pooled container's launcher waits (the launcher volume, read-only: /code belongs to the program's user). */
    static final String POOLED_LAUNCHER_DIR = "/crucible";
    /** The launcher volume's name before the launcher's digest (the socket proxy allows only these). */
    static final String LAUNCHER_VOLUME_PREFIX = "crucible-launcher-";
    /** The name of the container that checks the launcher volume: a pooled container's and this. */
    static final String LAUNCHER_CHECK_SUFFIX = "-launcher-check";
    static final String POOLED_LAUNCHER = POOLED_LAUNCHER_DIR + "/" + CodeArchive.LAUNCHER_FILE;
    /** Caps of a pooled container's /code and /build (what is written there counts as the program's memory). */
    static final long POOLED_CODE_BYTES = 64L * 1024 * 1024;
    static final long POOLED_BUILD_BYTES = 256L * 1024 * 1024;

    /**
     * Whether the launcher runs as another user than the program: under a guest kernel (gVisor's
     * {@code runsc}), whose procfs lets a process open the descriptors of a non-dumpable process of
     * its own user (/proc/1/fd/1: the stream the platform reads). There the launcher is the guest
     * kernel's root with no capability but SETUID, SETGID (to become the program's user in each
     * child) and KILL (to end what the program left), and the program runs as
     * {@code crucible.sandbox.user}. Under runc the launcher is the program's user and not
     * dumpable, which the host's kernel honours.
     */
    boolean separatesUsers(Language language) {
        String runtime = properties.runtimeOf(language);
        return runtime.equals("runsc") || runtime.startsWith("runsc-");
    }

    /**
     * The pids limit of the container. Under gVisor the pids cgroup counts the guest kernel's own
     * host threads (a limit of 64 does not let it start) and not the program's processes, which the
     * guest kernel keeps to itself: there a fork bomb meets the memory limit and the time limit.
     */
    private long pidsLimit(Language language) {
        return separatesUsers(language) ? properties.pidsLimit() * 8 : properties.pidsLimit();
    }

    private HostConfig hostConfig(Language language, long memoryBytes, long nanoCpus, Map<String, String> tmpfs) {
        HostConfig host = HostConfig.newHostConfig()
                .withRuntime(properties.runtimeOf(language))
                .withNetworkMode("none")
                .withMemory(memoryBytes)
                .withMemorySwap(memoryBytes)
                .withNanoCPUs(nanoCpus)
                .withPidsLimit(pidsLimit(language))
                .withReadonlyRootfs(true)
                .withTmpFs(tmpfs)
                .withCapDrop(Capability.ALL)
                .withSecurityOpts(List.of("no-new-privileges"))
                // the launcher is PID 1 (see crucible-launch.c): docker's init would be a dumpable
                // process of the program's own user that holds the stream the platform reads
                .withInit(false)
                .withUlimits(List.of(
                        new Ulimit("core", 0L, 0L),
                        new Ulimit("nofile", properties.openFiles(), properties.openFiles()),
                        new Ulimit("fsize", properties.fileSizeLimit().toBytes(), properties.fileSizeLimit().toBytes())))
                .withLogConfig(new LogConfig(LogConfig.LoggingType.NONE))
                .withAutoRemove(false);
        return separatesUsers(language) ? host.withCapAdd(Capability.SETUID, Capability.SETGID, Capability.KILL) : host;
    }

    /** Every container's settings: the launcher's and the language's argument vectors, exec'd as they are. */
    private CreateContainerCmd containerCommand(String image, String name, Map<String, String> labels, List<String> entrypoint,
            List<String> command, List<String> env, List<Volume> volumes, Language language, HostConfig host) {
        return docker.calls().createContainerCmd(image)
                .withName(name)
                .withLabels(labels)
                .withEntrypoint(entrypoint)
                .withCmd(command)
                .withWorkingDir(CODE_DIR)
                // the launcher's user: the program's, or a guest kernel's root that becomes it
                .withUser(separatesUsers(language) ? "0:0" : properties.user())
                // nothing from the host: only where the program's files go, when they are collected
                .withEnv(env)
                .withHostName("sandbox")
                .withNetworkDisabled(true)
                .withVolumes(volumes.toArray(Volume[]::new))
                .withAttachStdout(true)
                .withAttachStderr(true)
                .withTty(false)
                .withHostConfig(host);
    }

    /** Force-removes a container and its anonymous volumes; a missing container is fine. */
    public void remove(String containerIdOrName) {
        ContainerRemoval.remove(docker, daemon, containerIdOrName, containerIdOrName);
    }

    private RuntimeException translate(RuntimeException e) {
        if (e instanceof ImageUnavailableException || e instanceof DockerUnavailableException) {
            return e;
        }
        return DockerUnavailableException.translate(e, daemon);
    }
}
