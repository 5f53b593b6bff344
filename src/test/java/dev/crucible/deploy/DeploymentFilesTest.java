package dev.crucible.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/** The deployment files say what the deployment needs, and the workflows name only pinned actions. */
class DeploymentFilesTest {

    static final YAMLMapper YAML = YAMLMapper.builder().build();

    static String read(String path) throws IOException {
        return Files.readString(Path.of(path));
    }

    @Test
    void theWorkflowsParseAndNameOnlyActionsPinnedToACommit() throws IOException {
        for (String workflow : List.of(".github/workflows/ci.yml", ".github/workflows/deploy.yml")) {
            JsonNode root = YAML.readTree(read(workflow));
            assertThat(root.get("jobs")).as(workflow).isNotNull();
            List<String> uses = new ArrayList<>();
            root.get("jobs").forEach(job -> job.get("steps").forEach(step -> {
                if (step.has("uses")) {
                    uses.add(step.get("uses").asString());
                }
            }));
            assertThat(uses).as(workflow).isNotEmpty()
                    .allMatch(u -> u.matches("[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+@[0-9a-f]{40}"), "pinned to a commit");
        }
    }

    @Test
    void ciRunsTheReadmesTestCommandAndDeployPushesAndRestartsThroughSsm() throws IOException {
        String readme = read("README.md");
        assertThat(readme).contains("./crucible test");
        assertThat(read(".ci/run")).contains("./crucible test");
        assertThat(read(".github/workflows/ci.yml")).contains("./crucible test");
        JsonNode ci = YAML.readTree(read(".github/workflows/ci.yml"));
        assertThat(ci.get("on").has("push")).isTrue();
        assertThat(ci.get("on").has("pull_request")).isTrue();

        String deploy = read(".github/workflows/deploy.yml");
        JsonNode root = YAML.readTree(deploy);
        assertThat(root.get("on").get("push").get("branches").get(0).asString()).isEqualTo("main");
        assertThat(root.get("permissions").get("id-token").asString()).isEqualTo("write");
        assertThat(deploy).contains("role-to-assume").doesNotContain("aws-access-key-id").doesNotContain("aws-secret-access-key")
                .contains(":$GITHUB_SHA").contains(":latest").contains("AWS-RunShellScript")
                .contains("systemctl restart crucible-platform").contains("list-commands");
    }

    @Test
    void theDockerfileBuildsInStagesAndRunsUnprivilegedWithAHealthCheck() throws IOException {
        String dockerfile = read("Dockerfile");
        assertThat(dockerfile).contains("ARG BUILD_BASE=").contains("ARG RUNTIME_BASE=")
                .contains("AS build").contains("AS runtime").contains("AS development").contains("AS production")
                .contains("dependency:go-offline").contains("-DskipTests").contains("--layers")
                .contains("USER 10001:10001").contains("HEALTHCHECK").contains("/health").contains("VOLUME /app/storage");
        Matcher env = Pattern.compile("(?m)^(ENV|ARG)\\s+(.*)$").matcher(dockerfile);
        while (env.find()) {
            assertThat(env.group(2).toUpperCase()).as("no secret baked in: " + env.group())
                    .doesNotContain("PASSWORD").doesNotContain("TOKEN").doesNotContain("SECRET");
        }
    }

    @Test
    void theComposeFilesMountTheSocketAndStorageAndGiveNothingElse() throws IOException {
        JsonNode dev = YAML.readTree(read("docker-compose.yml")).get("services").get("crucible");
        assertThat(dev.get("volumes").toString()).contains("/var/run/docker.sock").contains("/app/storage");
        assertThat(dev.get("ports").toString()).contains("8080");
        assertThat(dev.get("cap_drop").get(0).asString()).isEqualTo("ALL");
        assertThat(dev.get("read_only").asBoolean()).isTrue();
        assertThat(dev.has("privileged")).isFalse();
        JsonNode prod = YAML.readTree(read("docker-compose.prod.yml")).get("services");
        assertThat(prod.get("crucible").get("environment").get("CRUCIBLE_DOCKER_HOST").asString())
                .isEqualTo("unix:///run/crucible/docker.sock");
        assertThat(prod.get("docker-proxy").has("ports")).isFalse();
        assertThat(prod.get("docker-proxy").get("volumes").toString()).contains("docker-policy.lua");
        assertThat(prod.get("crucible").get("volumes").toString()).doesNotContain("docker.sock");
        assertThat(prod.get("docker-proxy").get("volumes").toString()).contains("haproxy.cfg");
    }

    @Test
    void theUnitsKeepThePlatformRunningAndPullBeforeEachStart() throws IOException {
        String platform = read("deploy/systemd/crucible-platform.service");
        assertThat(platform).contains("After=docker.service").contains("Requires=docker.service")
                .contains("ExecStartPre=/opt/crucible/bin/crucible-pull").contains("ExecStartPre=-/usr/bin/docker rm")
                .contains("ExecStart=/opt/crucible/bin/crucible-run").contains("Restart=always");
        // a worker-only host: the same pull and run scripts, the worker role, its own container name
        assertThat(read("deploy/systemd/crucible-worker.service")).contains("After=docker.service")
                .contains("EnvironmentFile=/etc/crucible/crucible.env").contains("ExecStartPre=/opt/crucible/bin/crucible-pull")
                .contains("ExecStartPre=-/usr/bin/docker rm --force crucible-worker")
                .contains("ExecStart=/opt/crucible/bin/crucible-run worker")
                .contains("ExecStop=/usr/bin/docker stop --time 30 crucible-worker").contains("Restart=always");
        assertThat(read("deploy/systemd/crucible-update.service")).contains("Type=oneshot").contains("crucible-update");
        assertThat(read("deploy/systemd/crucible-update.timer")).contains("OnUnitActiveSec=");
        assertThat(read("deploy/bin/crucible-run")).contains("/var/run/docker.sock").contains("--group-add")
                .contains("--read-only").contains("--cap-drop ALL").doesNotContain("--privileged");
        assertThat(read("deploy/bin/crucible-update")).contains("flock").contains("{{.Image}}");
    }

    @Test
    void noSecretIsInTheRepository() throws IOException {
        Pattern secret = Pattern.compile("(AKIA[0-9A-Z]{16})|(-----BEGIN [A-Z ]*PRIVATE KEY-----)|(aws_secret_access_key\\s*=)");
        try (Stream<Path> files = Files.walk(Path.of("."))) {
            List<Path> offending = files.filter(Files::isRegularFile)
                    .filter(p -> !p.startsWith("./target") && !p.startsWith("./.git") && !p.startsWith("./storage"))
                    .filter(p -> {
                        try {
                            return secret.matcher(Files.readString(p)).find();
                        } catch (IOException | java.io.UncheckedIOException e) {
                            return false; // not text
                        }
                    }).toList();
            assertThat(offending).isEmpty();
        }
    }
}
