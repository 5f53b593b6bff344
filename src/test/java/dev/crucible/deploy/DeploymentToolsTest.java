package dev.crucible.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import dev.crucible.support.Commands;
import dev.crucible.support.TempStorage;
import tools.jackson.databind.JsonNode;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The deployment files pass the tools that judge them: shellcheck on every script, systemd's own
 * verifier on the units, docker-compose on the compose files. (The test command installs the
 * tools: Debian's shellcheck, systemd and docker-compose.)
 */
@Tag("tools")
class DeploymentToolsTest {

    static Commands.Result run(Map<String, String> env, String... command) throws IOException, InterruptedException {
        return Commands.run(env, java.time.Duration.ofMinutes(2), command);
    }

    static List<String> scripts() throws IOException {
        List<String> scripts = new ArrayList<>(List.of("crucible", ".ci/run"));
        for (String folder : List.of("deploy", "bench")) {
            try (Stream<Path> files = Files.walk(Path.of(folder))) {
                files.filter(Files::isRegularFile)
                        .filter(p -> p.toString().endsWith(".sh") || p.startsWith("deploy/bin"))
                        .map(Path::toString).sorted().forEach(scripts::add);
            }
        }
        return scripts;
    }

    @Test
    void everyScriptPassesShellcheck() throws Exception {
        List<String> scripts = scripts();
        assertThat(scripts).contains("deploy/bin/crucible-update", "deploy/bin/crucible-run", "deploy/image/build.sh",
                "deploy/runtimes/build.sh", "deploy/dev/ensure-docker.sh", "bench/run.sh");
        List<String> command = new ArrayList<>(List.of("shellcheck", "--external-sources"));
        command.addAll(scripts);
        Commands.Result result = run(Map.of(), command.toArray(String[]::new));
        assertThat(result.exit()).as(result.output()).isZero();
    }

    @Test
    void systemdAcceptsTheUnits() throws Exception {
        // the units name /opt/crucible/bin/...; point them at this checkout's deploy/ so that
        // systemd-analyze can also check that every command they run exists and is executable
        Path units = TempStorage.create("units");
        String deploy = Path.of("deploy").toAbsolutePath().toString();
        try (Stream<Path> files = Files.list(Path.of("deploy", "systemd"))) {
            for (Path unit : files.toList()) {
                Files.writeString(units.resolve(unit.getFileName()), Files.readString(unit).replace("/opt/crucible", deploy));
            }
        }
        List<String> command = new ArrayList<>(List.of("systemd-analyze", "verify", "--man=no"));
        try (Stream<Path> files = Files.list(units)) {
            files.map(Path::toString).sorted().forEach(command::add);
        }
        Commands.Result result = run(Map.of(), command.toArray(String[]::new));
        assertThat(result.exit()).as(result.output()).isZero();
        assertThat(result.output()).doesNotContain("ignoring").doesNotContain("Unknown");

        // and it would notice a broken one
        Path broken = units.resolve("broken.service");
        Files.writeString(broken, "[Service]\nExecStart=/nonexistent/crucible\nRestart=sometimes\n");
        assertThat(run(Map.of(), "systemd-analyze", "verify", "--man=no", broken.toString()).exit()).isNotZero();
    }

    @Test
    void dockerComposeAcceptsTheComposeFiles() throws Exception {
        Commands.Result dev = run(Map.of(), "docker-compose", "-f", "docker-compose.yml", "config", "--quiet");
        assertThat(dev.exit()).as(dev.output()).isZero();
        Commands.Result prod = run(Map.of("CRUCIBLE_IMAGE", "123456789012.dkr.ecr.eu-west-1.amazonaws.com/crucible/platform:latest"),
                "docker-compose", "-f", "docker-compose.prod.yml", "config", "--quiet");
        assertThat(prod.exit()).as(prod.output()).isZero();
        Commands.Result missingImage = run(Map.of(), "docker-compose", "-f", "docker-compose.prod.yml", "config", "--quiet");
        assertThat(missingImage.exit()).isNotZero();
        assertThat(missingImage.output()).contains("CRUCIBLE_IMAGE");
    }

    /**
     * What {@code docker-compose config} makes of a compose file: the published ports of every
     * service, as {@code service host_ip:published->target}.
     */
    static List<String> publishedPorts(Map<String, String> env, String... files) throws Exception {
        List<String> command = new ArrayList<>(List.of("docker-compose"));
        for (String file : files) {
            command.addAll(List.of("-f", file));
        }
        command.add("config");
        Commands.Result result = run(env, command.toArray(String[]::new));
        assertThat(result.exit()).as(result.output()).isZero();
        String yaml = result.output().substring(result.output().indexOf("services:"));
        List<String> ports = new ArrayList<>();
        DeploymentFilesTest.YAML.readTree(yaml).get("services").properties().forEach(service -> {
            if (service.getValue().has("ports")) {
                service.getValue().get("ports").forEach(port -> ports.add(service.getKey() + " " + portText(port)));
            }
        });
        return ports;
    }

    /** docker-compose 1.29 writes a port with a host address as text, one without as a mapping. */
    static String portText(JsonNode port) {
        if (port.isString()) {
            String[] parts = port.asString().replaceAll("/tcp$|/udp$", "").split(":");
            String hostIp = parts.length == 3 ? parts[0] : "";
            return hostIp + ":" + parts[parts.length - 2] + "->" + parts[parts.length - 1];
        }
        return (port.has("host_ip") ? port.get("host_ip").asString() : "") + ":" + port.get("published").asString()
                + "->" + port.get("target").asString();
    }

    static final String LOOPBACK = ".* (127\\.[0-9.]+|::1):.*";

    @Test
    void composePublishesNothingOnAllInterfacesUnlessAnOperatorAsks() throws Exception {
        Map<String, String> prodImage = Map.of("CRUCIBLE_IMAGE", "registry.example/crucible/platform:latest");
        List<String> dev = publishedPorts(Map.of(), "docker-compose.yml");
        assertThat(dev).isNotEmpty().allMatch(p -> p.matches(LOOPBACK), "published on loopback only");
        assertThat(dev).noneMatch(p -> p.endsWith("->5005"));
        assertThat(publishedPorts(prodImage, "docker-compose.prod.yml")).isNotEmpty()
                .allMatch(p -> p.matches(LOOPBACK), "published on loopback only");

        // the debugger is an opt-in of its own, and even then it answers this machine only
        List<String> debug = publishedPorts(Map.of(), "docker-compose.yml", "docker-compose.debug.yml");
        assertThat(debug).anyMatch(p -> p.endsWith("->5005")).allMatch(p -> p.matches(LOOPBACK));
        Commands.Result plain = run(Map.of(), "docker-compose", "-f", "docker-compose.yml", "config");
        assertThat(plain.output()).doesNotContain("jdwp");
        assertThat(Files.readString(Path.of("Dockerfile"))).doesNotContain("jdwp");

        // an operator who wants every interface says so
        assertThat(publishedPorts(Map.of("CRUCIBLE_BIND", "0.0.0.0"), "docker-compose.yml"))
                .anyMatch(p -> p.contains(" 0.0.0.0:"));
    }

    @Test
    void theUpdateLockLivesWhereOnlyItsOwnerCanWrite() throws Exception {
        // in a world-writable folder (/run/lock) any local user could create the lock first and
        // hold it: no update would ever run again
        Path shared = TempStorage.create("world-writable");
        Files.setPosixFilePermissions(shared, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
        Map<String, String> env = Map.of("CRUCIBLE_ENV_FILE", shared.resolve("none.env").toString(),
                "CRUCIBLE_IMAGE", "registry.invalid/crucible/platform:latest", "CRUCIBLE_IMAGE_REGISTRY", "none",
                "CRUCIBLE_UPDATE_LOCK", shared.resolve("update.lock").toString(), "DOCKER", "false");
        Commands.Result refused = run(env, "deploy/bin/crucible-update");
        assertThat(refused.exit()).isNotZero();
        assertThat(refused.output()).contains("refusing the lock");

        // the unit gives it a root-owned runtime directory, and the script uses it
        assertThat(Files.readString(Path.of("deploy/systemd/crucible-update.service"))).contains("RuntimeDirectory=crucible");
        Path runtime = TempStorage.create("runtime-directory");
        Map<String, String> unitEnv = Map.of("CRUCIBLE_ENV_FILE", runtime.resolve("none.env").toString(),
                "CRUCIBLE_IMAGE", "registry.invalid/crucible/platform:latest", "CRUCIBLE_IMAGE_REGISTRY", "none",
                "RUNTIME_DIRECTORY", runtime.toString(), "DOCKER", "false");
        Commands.Result used = run(unitEnv, "deploy/bin/crucible-update");
        assertThat(used.output()).doesNotContain("refusing the lock").contains("could not pull");
        assertThat(runtime.resolve("update.lock")).exists();
    }
}
