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
                "deploy/image/postgres-image.sh", "deploy/image/postgres-entrypoint.sh",
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
        assertThat(units.resolve("crucible-worker.service")).exists();
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

        Commands.Result scale = run(SCALE_ENV, "docker-compose", "-f", "docker-compose.scale.yml", "config", "--quiet");
        assertThat(scale.exit()).as(scale.output()).isZero();
        // the database password comes from the environment or nowhere: no default, no start
        Commands.Result noPassword = run(Map.of(), "docker-compose", "-f", "docker-compose.scale.yml", "config", "--quiet");
        assertThat(noPassword.exit()).isNotZero();
        assertThat(noPassword.output()).contains("POSTGRES_PASSWORD");
    }

    /** What docker-compose.scale.yml needs to be read at all: the database password, from the environment. */
    static final Map<String, String> SCALE_ENV = Map.of("POSTGRES_PASSWORD", "only-for-docker-compose-config");

    /** What {@code docker-compose config} makes of compose files (anchors merged, variables filled in): its services. */
    static JsonNode services(Map<String, String> env, String... files) throws Exception {
        List<String> command = new ArrayList<>(List.of("docker-compose"));
        for (String file : files) {
            command.addAll(List.of("-f", file));
        }
        command.add("config");
        Commands.Result result = run(env, command.toArray(String[]::new));
        assertThat(result.exit()).as(result.output()).isZero();
        String yaml = result.output().substring(result.output().indexOf("services:"));
        return DeploymentFilesTest.YAML.readTree(yaml).get("services");
    }

    /** The published ports of every service, as {@code service host_ip:published->target}. */
    static List<String> publishedPorts(Map<String, String> env, String... files) throws Exception {
        List<String> ports = new ArrayList<>();
        services(env, files).properties().forEach(service -> {
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

        // scaled: only the api publishes (PostgreSQL and the workers are reached on the project's network)
        assertThat(publishedPorts(SCALE_ENV, "docker-compose.scale.yml")).isNotEmpty()
                .allMatch(p -> p.startsWith("api "), "only the api publishes").allMatch(p -> p.matches(LOOPBACK), "on loopback");

        // an operator who wants every interface says so
        assertThat(publishedPorts(Map.of("CRUCIBLE_BIND", "0.0.0.0"), "docker-compose.yml"))
                .anyMatch(p -> p.contains(" 0.0.0.0:"));
        Map<String, String> scaleOpen = new java.util.HashMap<>(SCALE_ENV);
        scaleOpen.put("CRUCIBLE_BIND", "0.0.0.0");
        assertThat(publishedPorts(scaleOpen, "docker-compose.scale.yml")).containsExactly("api 0.0.0.0:8080->8080");
    }

    @Test
    void theScaledComposeFileGivesTheSocketToTheWorkersOnlyAndTakesSecretsFromTheEnvironment() throws Exception {
        JsonNode services = services(SCALE_ENV, "docker-compose.scale.yml");
        assertThat(services.propertyNames()).containsExactlyInAnyOrder("postgres", "api", "worker");
        JsonNode postgres = services.get("postgres");
        JsonNode api = services.get("api");
        JsonNode worker = services.get("worker");

        assertThat(postgres.get("image").asString()).isEqualTo("crucible-base/postgres:15");
        assertThat(postgres.has("ports")).isFalse();
        assertThat(postgres.get("volumes").toString()).contains("postgres-data:/var/lib/postgresql/data");
        assertThat(postgres.get("healthcheck").get("test").toString()).contains("pg_isready");
        assertThat(postgres.get("environment").get("POSTGRES_PASSWORD").asString()).isEqualTo(SCALE_ENV.get("POSTGRES_PASSWORD"));
        assertThat(postgres.get("cap_drop").get(0).asString()).isEqualTo("ALL");

        assertThat(api.get("environment").get("CRUCIBLE_ROLE").asString()).isEqualTo("api");
        assertThat(worker.get("environment").get("CRUCIBLE_ROLE").asString()).isEqualTo("worker");
        assertThat(worker.get("deploy").get("replicas").asInt()).isEqualTo(3);
        assertThat(worker.has("ports")).isFalse();
        // the api runs nothing: no socket; the workers reach the host's daemon through it
        assertThat(api.get("volumes").toString()).doesNotContain("docker.sock");
        assertThat(worker.get("volumes").toString()).contains("/var/run/docker.sock:/var/run/docker.sock");
        assertThat(worker.has("group_add")).isTrue();
        for (JsonNode node : List.of(api, worker)) {
            assertThat(node.get("depends_on").get("postgres").get("condition").asString()).isEqualTo("service_healthy");
            assertThat(node.get("environment").get("SPRING_DATASOURCE_URL").asString()).startsWith("jdbc:postgresql://postgres:5432/");
            assertThat(node.get("environment").get("SPRING_DATASOURCE_PASSWORD").asString())
                    .isEqualTo(SCALE_ENV.get("POSTGRES_PASSWORD"));
            assertThat(node.get("read_only").asBoolean()).isTrue();
            assertThat(node.get("cap_drop").get(0).asString()).isEqualTo("ALL");
            assertThat(node.has("mem_limit")).isTrue();
            assertThat(node.has("privileged")).isFalse();
        }
        // every secret in the file itself is a variable without a default
        List<String> secretLines = Files.readAllLines(Path.of("docker-compose.scale.yml")).stream()
                .filter(line -> line.matches("\\s*[A-Z_]*(PASSWORD|TOKEN|SECRET)[A-Z_]*:.*")).toList();
        assertThat(secretLines).hasSizeGreaterThanOrEqualTo(4).allMatch(line -> line.matches(".*: \\$\\{[A-Z_]+(:-|:\\?[^}]*)?}"));
        assertThat(secretLines).allMatch(line -> line.contains(":?") || line.contains(":-}"), "no default value");
    }

    /**
     * What crucible-worker.service starts ({@code crucible-run worker}), with a stand-in for docker
     * that prints its arguments: the worker role and the unit's container name whatever the
     * settings file says, the database settings passed by name (their values never on a command
     * line), the health port on loopback.
     */
    @Test
    void theWorkerUnitsScriptRunsAWorkerAndPassesTheDatabaseSettingsByNameOnly() throws Exception {
        Path dir = TempStorage.create("worker-run");
        Path settings = dir.resolve("crucible.env");
        Files.writeString(settings, String.join("\n", "CRUCIBLE_IMAGE=registry.invalid/crucible/platform:latest",
                "CRUCIBLE_ROLE=all", "CRUCIBLE_CONTAINER=renamed",
                "SPRING_DATASOURCE_URL=jdbc:postgresql://db.invalid:5432/crucible",
                "SPRING_DATASOURCE_USERNAME=crucible", "SPRING_DATASOURCE_PASSWORD=database-password-value", ""));
        Path docker = dir.resolve("docker");
        Files.writeString(docker, "#!/bin/sh\nprintf '%s\\n' \"$@\"\necho \"role in the environment: $CRUCIBLE_ROLE\"\n");
        Files.setPosixFilePermissions(docker, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        Path socket = Files.createFile(dir.resolve("docker.sock"));
        Map<String, String> env = Map.of("CRUCIBLE_ENV_FILE", settings.toString(), "CRUCIBLE_SECRETS_FILE",
                dir.resolve("none.env").toString(), "DOCKER", docker.toString(), "CRUCIBLE_DOCKER_SOCKET", socket.toString(),
                "CRUCIBLE_STORAGE_HOST_DIR", dir.resolve("storage").toString());

        Commands.Result worker = run(env, "deploy/bin/crucible-run", "worker");
        assertThat(worker.exit()).as(worker.output()).isZero();
        List<String> args = List.of(worker.output().split("\n"));
        assertThat(args).containsSubsequence("--name", "crucible-worker")
                .containsSubsequence("--publish", "127.0.0.1:8080:8080")
                .containsSubsequence("--env", "CRUCIBLE_ROLE").containsSubsequence("--env", "SPRING_DATASOURCE_URL")
                .containsSubsequence("--env", "SPRING_DATASOURCE_USERNAME").containsSubsequence("--env", "SPRING_DATASOURCE_PASSWORD")
                .contains("role in the environment: worker").contains("--read-only").doesNotContain("--privileged");
        assertThat(worker.output()).doesNotContain("database-password-value").doesNotContain("renamed");

        // without the argument it is the platform, as before
        Commands.Result platform = run(env, "deploy/bin/crucible-run");
        assertThat(platform.output()).contains("role in the environment: all").contains("renamed");
        assertThat(run(env, "deploy/bin/crucible-run", "api").exit()).isEqualTo(2);
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
