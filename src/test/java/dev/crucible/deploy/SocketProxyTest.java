package dev.crucible.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Stream;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.transport.DockerHttpClient;
import com.github.dockerjava.transport.DockerHttpClient.Request;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import dev.crucible.docker.DockerClients;
import dev.crucible.sandbox.SandboxLabels;
import dev.crucible.support.Api;
import dev.crucible.support.TempStorage;
import dev.crucible.support.TempStorageInitializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The platform behind deploy/socket-proxy (Debian's haproxy and lua-cjson in front of the real
 * socket): it runs evaluations through the proxy's unix socket, while every way a compromised
 * platform could take the host through the Docker API is sent to the real daemon through the
 * proxy and refused: containers that are privileged, mount host paths, add capabilities or
 * devices, share the host's namespaces or network, lack the installation label or use another
 * image; calls on containers that are not sandboxes; calls the platform never makes.
 * {@code -Dcrucible.test.socket-proxy-config=FILE} runs the same checks against another config.
 */
@Tag("docker")
@Tag("tools")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"crucible.images.pull-policy=never", "crucible.worker.concurrency=2"})
@ContextConfiguration(initializers = TempStorageInitializer.class)
class SocketProxyTest {

    static final String CONFIG = System.getProperty("crucible.test.socket-proxy-config", "deploy/socket-proxy/haproxy.cfg");
    static final String IMAGE = "crucible-runtime/python:3.11";
    /** The platform image's group; the test runs as another (root), so the socket's group shows. */
    static final int PLATFORM_GID = 10001;
    /** Every container this test makes carries it, whatever the proxy let through, for clean-up. */
    static final String TEST_LABEL = "crucible.socket-proxy-test";
    static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    static final JsonMapper JSON = JsonMapper.builder().build();

    static final DockerClient direct = DockerClients.connect("unix:///var/run/docker.sock", Duration.ofSeconds(30));
    /** The proxy the platform of this test uses. */
    static Proxy proxy;

    /** haproxy with the config under test, on a unix socket of its own, and a raw HTTP client to it. */
    record Proxy(Process haproxy, Path socket, DockerHttpClient client) implements AutoCloseable {

        static Proxy start(Map<String, String> settings) {
            Path dir = TempStorage.create("socket-proxy");
            Path socket = dir.resolve("docker.sock");
            ProcessBuilder builder = new ProcessBuilder("haproxy", "-db", "-f", CONFIG)
                    .redirectErrorStream(true).redirectOutput(dir.resolve("haproxy.log").toFile());
            builder.environment().put("CRUCIBLE_PROXY_SOCKET", socket.toString());
            builder.environment().put("CRUCIBLE_PROXY_GID", String.valueOf(PLATFORM_GID));
            builder.environment().put("CRUCIBLE_DOCKER_SOCKET", "/var/run/docker.sock");
            builder.environment().put("CRUCIBLE_PROXY_IMAGES", "crucible-runtime/python:3.11,crucible-runtime/node:18,crucible-runtime/gcc:12,"
                    + "crucible-runtime/java:17,crucible-runtime/go:1.19,crucible-runtime/rust:1.63,crucible-runtime/python-science:3.11");
            builder.environment().putAll(settings);
            Process haproxy;
            try {
                haproxy = builder.start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Proxy proxy = new Proxy(haproxy, socket, new ZerodepDockerHttpClient.Builder().dockerHost(URI.create("unix://" + socket))
                    .connectionTimeout(Duration.ofSeconds(5)).responseTimeout(Duration.ofSeconds(5)).build());
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> proxy.status("GET", "/_ping", null) == 200);
            return proxy;
        }

        /** The status the proxy answers, or -1 when it gave none in time (a call that went through and hangs). */
        int status(String method, String path, String json) {
            try (DockerHttpClient.Response response = client.execute(request(method, path, json))) {
                return response.getStatusCode();
            } catch (RuntimeException e) {
                return -1;
            }
        }

        /** The status and the body, as in "403 {...}". */
        String answer(String method, String path, String json) {
            try (DockerHttpClient.Response response = client.execute(request(method, path, json)); InputStream in = response.getBody()) {
                return response.getStatusCode() + " " + new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private static Request request(String method, String path, String json) {
            Request.Builder request = Request.builder().method(Request.Method.valueOf(method)).path(path);
            if (json != null) {
                request.putHeader("Content-Type", "application/json")
                        .body(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
            }
            return request.build();
        }

        @Override
        public void close() throws IOException {
            haproxy.destroy();
            client.close();
        }
    }

    @DynamicPropertySource
    static void proxy(DynamicPropertyRegistry properties) {
        proxy = Proxy.start(Map.of("CRUCIBLE_PROXY_RUNTIMES", "runc,runsc"));
        properties.add("crucible.docker.host", () -> "unix://" + proxy.socket());
    }

    @AfterAll
    static void stopProxyAndRemoveWhatGotThrough() throws IOException {
        if (proxy != null) {
            proxy.close();
        }
        direct.listContainersCmd().withShowAll(true).withLabelFilter(Map.of(TEST_LABEL, RUN)).exec()
                .forEach(c -> direct.removeContainerCmd(c.getId()).withForce(true).withRemoveVolumes(true).exec());
    }

    static int status(String method, String path, String json) {
        return proxy.status(method, path, json);
    }

    static String body(String method, String path, String json) {
        return proxy.answer(method, path, json);
    }

    /** A create body like the sandbox's own (Sandbox.createCommand), which the proxy must accept. */
    static ObjectNode sandboxCreate() {
        ObjectNode create = JSON.createObjectNode();
        create.put("Image", IMAGE);
        create.put("User", "65534:65534");
        create.putArray("Cmd").add("python3").add("-c").add("print(1)");
        create.putObject("Labels").put(SandboxLabels.INSTALLATION, "socket-proxy-test-" + RUN).put(TEST_LABEL, RUN);
        create.put("NetworkDisabled", true);
        create.putObject("Volumes").putObject("/code");
        ObjectNode host = create.putObject("HostConfig");
        host.put("NetworkMode", "none");
        host.put("Memory", 104857600L).put("MemorySwap", 104857600L).put("NanoCpus", 1_000_000_000L).put("PidsLimit", 64);
        host.put("ReadonlyRootfs", true);
        host.putObject("Tmpfs").put("/tmp", "rw,noexec,nosuid,nodev,size=16777216,mode=1777");
        host.putArray("CapDrop").add("ALL");
        host.putArray("SecurityOpt").add("no-new-privileges");
        host.put("Init", true);
        host.putArray("Ulimits").addObject().put("Name", "nofile").put("Soft", 256).put("Hard", 256);
        host.putObject("LogConfig").put("Type", "none");
        return create;
    }

    static String created(String answer) {
        assertThat(answer).startsWith("201 ");
        return JSON.readTree(answer.substring(4)).get("Id").asString();
    }

    static Arguments escape(String name, Consumer<ObjectNode> change) {
        return Arguments.of(name, change);
    }

    static ObjectNode host(ObjectNode create) {
        return (ObjectNode) create.get("HostConfig");
    }

    static Stream<Arguments> escapes() {
        return Stream.of(
                escape("privileged", c -> host(c).put("Privileged", true)),
                escape("privileged under a lower-case key", c -> host(c).put("privileged", true)),
                escape("privileged at the top level (no HostConfig)", c -> {
                    c.remove("HostConfig");
                    c.put("Privileged", true).put("NetworkMode", "none");
                }),
                escape("bind mount of the host's root", c -> host(c).putArray("Binds").add("/:/host")),
                escape("bind mount through a non-ASCII key Go folds to Binds", c -> host(c).putArray("Bind\u017f").add("/:/host")),
                escape("bind mount through Mounts", c -> host(c).putArray("Mounts").addObject()
                        .put("Type", "bind").put("Source", "/").put("Target", "/host")),
                escape("volume that is a host path", c -> host(c).putArray("Mounts").addObject()
                        .put("Type", "volume").put("Target", "/host").putObject("VolumeOptions").putObject("DriverConfig")
                        .put("Name", "local").putObject("Options").put("type", "none").put("o", "bind").put("device", "/")),
                escape("a named volume that is not the launcher's", c -> host(c).putArray("Mounts").addObject()
                        .put("Type", "volume").put("Source", "someone-elses-data").put("Target", "/crucible")),
                escape("the launcher volume mounted over the image", c -> host(c).putArray("Mounts").addObject()
                        .put("Type", "volume").put("Source", "crucible-launcher-0123abcd").put("Target", "/usr/bin")),
                escape("the launcher volume as a host path", c -> host(c).putArray("Mounts").addObject()
                        .put("Type", "volume").put("Source", "crucible-launcher-0123abcd").put("Target", "/crucible")
                        .putObject("VolumeOptions").putObject("DriverConfig").put("Name", "local").putObject("Options")
                        .put("type", "none").put("o", "bind").put("device", "/")),
                escape("a bind beside the launcher volume", c -> {
                    var mounts = host(c).putArray("Mounts");
                    mounts.addObject().put("Type", "volume").put("Source", "crucible-launcher-0123abcd").put("Target", "/crucible");
                    mounts.addObject().put("Type", "bind").put("Source", "/").put("Target", "/host");
                }),
                escape("volume named like a bind", c -> ((ObjectNode) c.get("Volumes")).putObject("/:/host")),
                escape("added capability", c -> host(c).putArray("CapAdd").add("SYS_ADMIN")),
                escape("host device", c -> host(c).putArray("Devices").addObject()
                        .put("PathOnHost", "/dev/mem").put("PathInContainer", "/dev/mem").put("CgroupPermissions", "rwm")),
                escape("device cgroup rule", c -> host(c).putArray("DeviceCgroupRules").add("a *:* rwm")),
                escape("host PID namespace", c -> host(c).put("PidMode", "host")),
                escape("host IPC namespace", c -> host(c).put("IpcMode", "host")),
                escape("host user namespace", c -> host(c).put("UsernsMode", "host")),
                escape("host UTS namespace", c -> host(c).put("UTSMode", "host")),
                escape("host cgroup namespace", c -> host(c).put("CgroupnsMode", "host")),
                escape("host network", c -> host(c).put("NetworkMode", "host")),
                escape("bridge network", c -> host(c).put("NetworkMode", "bridge")),
                escape("another container's namespaces", c -> host(c).put("NetworkMode", "container:anything")),
                escape("no seccomp profile", c -> host(c).putArray("SecurityOpt").add("no-new-privileges").add("seccomp=unconfined")),
                escape("no AppArmor profile", c -> host(c).putArray("SecurityOpt").add("apparmor=unconfined")),
                escape("unmasked /proc paths", c -> host(c).putArray("MaskedPaths")),
                escape("another runtime", c -> host(c).put("Runtime", "io.containerd.runc.v2-unconfined")),
                escape("sysctls", c -> host(c).putObject("Sysctls").put("kernel.core_pattern", "|/tmp/x")),
                escape("volumes of another container", c -> host(c).putArray("VolumesFrom").add("someone-else")),
                escape("another cgroup parent", c -> host(c).put("CgroupParent", "/")),
                escape("no installation label", c -> ((ObjectNode) c.get("Labels")).remove(SandboxLabels.INSTALLATION)),
                escape("an empty installation label", c -> ((ObjectNode) c.get("Labels")).put(SandboxLabels.INSTALLATION, "")),
                escape("an image that is not a runtime image", c -> c.put("Image", "busybox:latest")),
                escape("root", c -> c.put("User", "0:0")),
                escape("root with the launcher's capabilities under runc", c -> {
                    c.put("User", "0:0");
                    host(c).put("Runtime", "runc");
                    host(c).putArray("CapAdd").add("SETUID").add("SETGID").add("KILL");
                }),
                escape("the launcher's capabilities for an unprivileged user", c -> host(c).putArray("CapAdd").add("KILL")),
                escape("gVisor's root with a capability beyond the launcher's", c -> {
                    c.put("User", "0:0");
                    host(c).put("Runtime", "runsc");
                    host(c).putArray("CapAdd").add("SETUID").add("SYS_ADMIN");
                }),
                escape("default capabilities", c -> host(c).remove("CapDrop")),
                escape("new privileges allowed", c -> host(c).remove("SecurityOpt")),
                escape("the default network through a null", c -> host(c).putNull("NetworkMode")));
    }

    @Test
    void aCreateBodyLargerThanTheProxyReadsIsRefused() {
        ObjectNode create = sandboxCreate();
        create.putArray("Env").add("PAD=" + "x".repeat(20_000));
        Set<String> before = containerIds();
        String answer;
        try {
            answer = body("POST", "/v1.41/containers/create", create.toString());
        } catch (RuntimeException e) {
            // the proxy may answer and close before the client has sent the whole body (a broken
            // pipe here): refused all the same, as long as nothing reached the daemon
            answer = "closed " + e;
        }
        assertThat(answer).matches("(?s)(403 |closed ).*");
        assertThat(containerIds()).as("containers made meanwhile").isSubsetOf(before);
    }

    static Set<String> containerIds() {
        Set<String> ids = new HashSet<>();
        dev.crucible.support.TestDocker.client().listContainersCmd().withShowAll(true).exec().forEach(c -> ids.add(c.getId()));
        return ids;
    }

    @Test
    void evaluationsRunThroughTheProxysUnixSocket() {
        Api api = new Api("http://localhost:" + port);
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> api.get("/health").status() == 200);
        Api.Response done = api.post("/api/eval?wait=true",
                "{\"code\": \"import sys\\nprint('through the proxy')\\nprint(input(), file=sys.stderr)\", \"stdin\": \"in\"}");
        assertThat(done.status()).isEqualTo(200);
        assertThat(done.text("status")).isEqualTo("completed");
        assertThat(done.text("output")).isEqualTo("through the proxy\nin\n");
        Api.Response stopped = api.post("/api/eval?wait=true", "{\"code\": \"while True: pass\", \"timeout\": 1}");
        assertThat(stopped.text("status")).isEqualTo("timeout");
    }

    @LocalServerPort
    int port;

    @Test
    void theSandboxsOwnCreateIsAcceptedAndItsContainerTakesEveryCallThePlatformMakes() {
        // without this, the refusals below could come from a body the proxy refuses anyway
        ObjectNode create = sandboxCreate();
        create.putArray("Cmd").add("python3").add("-c").add("import time; time.sleep(60)");
        String name = "proxy-test-" + RUN;
        String id = created(body("POST", "/v1.41/containers/create?name=" + name, create.toString()));
        assertThat(status("GET", "/v1.41/containers/" + name + "/json", null)).isEqualTo(200);
        assertThat(status("POST", "/v1.41/containers/" + name + "/start", null)).isEqualTo(204);
        assertThat(status("GET", "/v1.41/containers/" + id + "/top", null)).isEqualTo(200);
        assertThat(status("GET", "/v1.41/containers/" + id + "/stats?stream=false", null)).isEqualTo(200);
        assertThat(status("POST", "/v1.41/containers/" + id + "/pause", null)).isEqualTo(204);
        assertThat(status("POST", "/v1.41/containers/" + id + "/unpause", null)).isEqualTo(204);
        assertThat(status("POST", "/v1.41/containers/" + id.substring(0, 12) + "/kill", null)).isEqualTo(204);
        assertThat(status("DELETE", "/v1.41/containers/" + id + "?force=1&v=1", null)).isEqualTo(204);
        // a container that is gone is the daemon's 404, as the platform expects when it removes twice
        assertThat(status("GET", "/v1.41/containers/" + id + "/json", null)).isEqualTo(404);
        assertThat(status("DELETE", "/v1.41/containers/" + name + "?force=1", null)).isEqualTo(404);
    }

    @Test
    void gVisorsRootWithTheLaunchersCapabilitiesIsAccepted() {
        // the launcher under gVisor (Sandbox.separatesUsers): the guest kernel's root, three capabilities
        ObjectNode create = sandboxCreate();
        create.put("User", "0:0");
        host(create).put("Runtime", "runsc").put("PidsLimit", 512);
        host(create).putArray("CapAdd").add("SETUID").add("SETGID").add("KILL");
        String id = created(body("POST", "/v1.41/containers/create?name=proxy-test-gvisor-" + RUN, create.toString()));
        assertThat(status("DELETE", "/v1.41/containers/" + id + "?force=1&v=1", null)).isEqualTo(204);
    }

    @Test
    void theLauncherVolumeIsAcceptedAndReadBack() {
        // the pool's launcher volume (Sandbox.launcherMount): mounted, filled and read back through a container
        String volume = "crucible-launcher-" + RUN;
        ObjectNode create = sandboxCreate();
        host(create).putArray("Mounts").addObject().put("Type", "volume").put("Source", volume).put("Target", "/crucible")
                .put("ReadOnly", false);
        String id = created(body("POST", "/v1.41/containers/create?name=proxy-test-launcher-" + RUN, create.toString()));
        try {
            assertThat(status("GET", "/v1.41/containers/" + id + "/archive?path=/crucible", null)).isEqualTo(200);
            assertThat(status("DELETE", "/v1.41/containers/" + id + "?force=1&v=1", null)).isEqualTo(204);
        } finally {
            // a named volume outlives its containers; this one is the test's
            status("DELETE", "/v1.41/containers/" + id + "?force=1", null);
            dev.crucible.support.TestDocker.client().removeVolumeCmd(volume).exec();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("escapes")
    void aCreateThatCouldEscapeIsRefused(String name, Consumer<ObjectNode> change) {
        ObjectNode create = sandboxCreate();
        change.accept(create);
        assertThat(body("POST", "/v1.41/containers/create", create.toString())).as(name).startsWith("403 ");
    }

    @Test
    void aCreateThatRepeatsAKeyIsRefused() {
        // Go merges the two HostConfig objects (privileged, / mounted); cjson would check the last only
        String twice = sandboxCreate().toString().replaceFirst("^\\{",
                "{\"HostConfig\": {\"Privileged\": true, \"Binds\": [\"/:/host\"]}, ");
        assertThat(body("POST", "/v1.41/containers/create", twice)).startsWith("403 ");
        // while quotes, backslashes and colons inside strings are no repeated keys
        ObjectNode tricky = sandboxCreate();
        tricky.putArray("Env").add("A=\":\\\"\\\\:{\"B\": 1}");
        String id = created(body("POST", "/v1.41/containers/create", tricky.toString()));
        assertThat(status("DELETE", "/v1.41/containers/" + id + "?force=1", null)).isEqualTo(204);
    }

    @Test
    void aHostConfigSentWithStartIsRefused() {
        // API versions before 1.24 still apply a HostConfig given to start (verified on 20.10)
        String id = created(body("POST", "/v1.41/containers/create", sandboxCreate().toString()));
        String escape = "{\"Privileged\": true, \"Binds\": [\"/:/host\"]}";
        assertThat(status("POST", "/v1.23/containers/" + id + "/start", escape)).isEqualTo(403);
        assertThat(status("POST", "/containers/" + id + "/start", escape)).isEqualTo(403);
        assertThat(direct.inspectContainerCmd(id).exec().getHostConfig().getPrivileged()).isFalse();
        assertThat(status("DELETE", "/containers/" + id + "?force=1", null)).isEqualTo(204);
    }

    @Test
    void callsOnAContainerThatIsNoSandboxAreRefused() {
        String name = "socket-proxy-foreign-" + RUN;
        String id = direct.createContainerCmd(IMAGE).withName(name).withCmd("sleep", "600")
                .withLabels(Map.of(TEST_LABEL, RUN)).exec().getId();
        direct.startContainerCmd(id).exec();
        Map<String, Integer> answers = new LinkedHashMap<>();
        for (String target : List.of(id, name, id.substring(0, 12))) {
            answers.put("inspect " + target, status("GET", "/v1.41/containers/" + target + "/json", null));
        }
        answers.put("stats", status("GET", "/v1.41/containers/" + id + "/stats?stream=false", null));
        answers.put("top", status("GET", "/v1.41/containers/" + id + "/top", null));
        answers.put("attach", status("POST", "/v1.41/containers/" + id + "/attach?stream=1&stdout=1", null));
        answers.put("archive", status("PUT", "/v1.41/containers/" + id + "/archive?path=/tmp", "x"));
        answers.put("pause", status("POST", "/v1.41/containers/" + id + "/pause", null));
        answers.put("start", status("POST", "/v1.41/containers/" + id + "/start", null));
        answers.put("kill", status("POST", "/v1.41/containers/" + name + "/kill", null));
        answers.put("remove", status("DELETE", "/v1.41/containers/" + id + "?force=1", null));
        assertThat(answers).allSatisfy((call, status) -> assertThat(status).as(call).isEqualTo(403));
        assertThat(direct.inspectContainerCmd(id).exec().getState().getRunning()).isTrue();
    }

    @Test
    void callsThePlatformNeverMakesAreRefused() {
        assertThat(status("GET", "/v1.41/version", null)).isEqualTo(200);
        assertThat(status("GET", "/_ping", null)).isEqualTo(200);
        assertThat(status("POST", "/v1.41/containers/anything/exec", null)).isEqualTo(403);
        assertThat(status("GET", "/v1.41/containers/anything/logs", null)).isEqualTo(403);
        assertThat(status("POST", "/v1.41/build", null)).isEqualTo(403);
        assertThat(status("DELETE", "/v1.41/images/crucible-runtime/python:3.11", null)).isEqualTo(403);
        assertThat(status("GET", "/v1.41/volumes", null)).isEqualTo(403);
        assertThat(status("POST", "/v1.41/containers/anything/update", null)).isEqualTo(403);
        assertThat(status("GET", "/v1.41/secrets", null)).isEqualTo(403);
        assertThat(status("POST", "/v1.41/images/create?fromImage=busybox&tag=latest", null)).isEqualTo(403);
        assertThat(status("POST", "/v1.41/images/create?fromSrc=-&repo=crucible-runtime/python&tag=3.11", null)).isEqualTo(403);
        assertThat(status("GET", "/v1.41/images/crucible-runtime%2Fpython:3.11/json", null)).isEqualTo(200);
        assertThat(status("GET", "/v1.41/images/crucible-runtime%2Fnode:18/json", null)).isEqualTo(200);
        assertThat(status("GET", "/v1.41/images/crucible-runtime%2Fnode:18%2F..%2F..%2F..%2Fcontainers%2Fx/json", null)).isEqualTo(403);
    }

    @Test
    void withAnInstallationConfiguredOnlyItsOwnContainersPass() throws IOException {
        String ours = "socket-proxy-test-" + RUN;
        try (Proxy pinned = Proxy.start(Map.of("CRUCIBLE_PROXY_INSTALLATION", ours))) {
            ObjectNode other = sandboxCreate();
            ((ObjectNode) other.get("Labels")).put(SandboxLabels.INSTALLATION, "another-installation");
            assertThat(pinned.answer("POST", "/v1.41/containers/create", other.toString())).startsWith("403 ");
            String othersContainer = created(proxy.answer("POST", "/v1.41/containers/create", other.toString()));
            assertThat(pinned.status("GET", "/v1.41/containers/" + othersContainer + "/json", null)).isEqualTo(403);
            assertThat(pinned.status("DELETE", "/v1.41/containers/" + othersContainer + "?force=1", null)).isEqualTo(403);
            String ourContainer = created(pinned.answer("POST", "/v1.41/containers/create", sandboxCreate().toString()));
            assertThat(pinned.status("DELETE", "/v1.41/containers/" + ourContainer + "?force=1", null)).isEqualTo(204);
        }
    }

    @Test
    void itListensOnlyOnAUnixSocketOfThePlatformsGroup() throws IOException {
        assertThat(Files.getAttribute(proxy.socket(), "unix:gid")).isEqualTo(PLATFORM_GID);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(proxy.socket()))).isEqualTo("rw-rw----");
        assertThat(tcpListenersOf(proxy.haproxy().pid())).isEmpty();
    }

    /** The TCP ports the process listens on: its socket inodes that /proc/net/tcp* lists as LISTEN. */
    static Set<String> tcpListenersOf(long pid) throws IOException {
        Set<String> inodes = new HashSet<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc", String.valueOf(pid), "fd"))) {
            fds.forEach(fd -> {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(target.substring(8, target.length() - 1));
                    }
                } catch (IOException gone) {
                    // closed meanwhile
                }
            });
        }
        Set<String> listening = new HashSet<>();
        for (String table : List.of("tcp", "tcp6")) {
            List<String> lines = Files.readAllLines(Path.of("/proc", String.valueOf(pid), "net", table));
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.trim().split("\\s+");
                if (f[3].equals("0A") && inodes.contains(f[9])) {
                    listening.add(table + " " + f[1]);
                }
            }
        }
        return listening;
    }
}
