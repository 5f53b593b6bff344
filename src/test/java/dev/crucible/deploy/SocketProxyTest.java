package dev.crucible.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

import dev.crucible.support.Api;
import dev.crucible.support.TempStorage;
import dev.crucible.support.TempStorageInitializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The platform behind deploy/socket-proxy/haproxy.cfg (Debian's haproxy in front of the real
 * socket): every call it makes to run an evaluation gets through, and calls it never makes
 * (exec, logs, build, image removal, volumes) are refused.
 */
@Tag("docker")
@Tag("tools")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"crucible.images.pull-policy=never", "crucible.worker.concurrency=2"})
@ContextConfiguration(initializers = TempStorageInitializer.class)
class SocketProxyTest {

    static Process haproxy;
    static int proxyPort;

    @DynamicPropertySource
    static void proxy(DynamicPropertyRegistry properties) throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            proxyPort = socket.getLocalPort();
        }
        Path dir = TempStorage.create("socket-proxy");
        ProcessBuilder builder = new ProcessBuilder("haproxy", "-db", "-f", "deploy/socket-proxy/haproxy.cfg")
                .redirectErrorStream(true).redirectOutput(dir.resolve("haproxy.log").toFile());
        builder.environment().put("CRUCIBLE_PROXY_LISTEN", "127.0.0.1:" + proxyPort);
        builder.environment().put("CRUCIBLE_PROXY_SOCKET", dir.resolve("docker.sock").toString());
        builder.environment().put("CRUCIBLE_DOCKER_SOCKET", "/var/run/docker.sock");
        haproxy = builder.start();
        Awaitility.await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> {
            try (Socket s = new Socket("127.0.0.1", proxyPort)) {
                return true;
            }
        });
        properties.add("crucible.docker.host", () -> "tcp://127.0.0.1:" + proxyPort);
    }

    @AfterAll
    static void stopProxy() {
        if (haproxy != null) {
            haproxy.destroy();
        }
    }

    @LocalServerPort
    int port;

    static int status(String method, String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + proxyPort + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Test
    void evaluationsRunThroughTheFilterAndEverythingElseIsRefused() throws Exception {
        Api api = new Api("http://localhost:" + port);
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> api.get("/health").status() == 200);
        Api.Response done = api.post("/api/eval?wait=true",
                "{\"code\": \"import sys\\nprint('through the proxy')\\nprint(input(), file=sys.stderr)\", \"stdin\": \"in\"}");
        assertThat(done.status()).isEqualTo(200);
        assertThat(done.text("status")).isEqualTo("completed");
        assertThat(done.text("output")).isEqualTo("through the proxy\nin\n");
        Api.Response stopped = api.post("/api/eval?wait=true", "{\"code\": \"while True: pass\", \"timeout\": 1}");
        assertThat(stopped.text("status")).isEqualTo("timeout");

        assertThat(status("GET", "/v1.41/version")).isEqualTo(200);
        assertThat(status("GET", "/_ping")).isEqualTo(200);
        assertThat(status("POST", "/v1.41/containers/anything/exec")).isEqualTo(403);
        assertThat(status("GET", "/v1.41/containers/anything/logs")).isEqualTo(403);
        assertThat(status("POST", "/v1.41/build")).isEqualTo(403);
        assertThat(status("DELETE", "/v1.41/images/crucible-runtime/python:3.11")).isEqualTo(403);
        assertThat(status("GET", "/v1.41/volumes")).isEqualTo(403);
        assertThat(status("POST", "/v1.41/containers/anything/update")).isEqualTo(403);
        assertThat(status("GET", "/v1.41/secrets")).isEqualTo(403);
    }
}
