package dev.crucible.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import dev.crucible.support.TempStorageInitializer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ContextConfiguration;

/**
 * Protected mode over real HTTP from this machine (the peer is always loopback here): only a
 * request that names this machine by a loopback literal or exactly {@code localhost}, comes
 * through no proxy and from no foreign web page counts as local. A host name that merely starts
 * with {@code 127.} or ends with {@code .localhost} is a name anyone can register and point at
 * 127.0.0.1 (DNS rebinding), so it does not count.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "crucible.docker.host=unix:///nonexistent/docker.sock")
@ContextConfiguration(initializers = TempStorageInitializer.class)
class ProtectedModeTest {

    static final String SUBMISSION = "{\"code\": \"print(1)\"}";

    @LocalServerPort
    int port;

    @Test
    void theQuickStartsCurlWorksFromThisMachine() throws IOException {
        // what curl sends for http://localhost:PORT/api/eval
        assertThat(post("localhost:" + port, Map.of())).isEqualTo(202);
        assertThat(post("localhost", Map.of())).isEqualTo(202);
        assertThat(post("127.0.0.1:" + port, Map.of())).isEqualTo(202);
        assertThat(post("127.3.4.5:" + port, Map.of())).isEqualTo(202);
        assertThat(post("[::1]:" + port, Map.of())).isEqualTo(202);
        assertThat(post("LOCALHOST:" + port, Map.of("Origin", "http://localhost:3000"))).isEqualTo(202);
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.attacker.example", "127.0.0.1.nip.io", "127.1", "localhost.attacker.example",
            "evil.localhost", "attacker.example", "0.0.0.0", "10.0.0.1", "[::ffff:7f00:1]", "2130706433"})
    void aHostThatIsNotALoopbackLiteralIsNotLocal(String host) throws IOException {
        assertThat(post(host + ":" + port, Map.of())).as(host).isEqualTo(401);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Forwarded: for=203.0.113.9", "X-Forwarded-For: 203.0.113.9",
            "X-Forwarded-Host: crucible.example", "X-Forwarded-Proto: https", "X-Real-IP: 203.0.113.9",
            "Origin: https://evil.example", "Origin: http://127.attacker.example:" + "8080",
            "Sec-Fetch-Site: cross-site"})
    void aRequestThroughAProxyOrFromAForeignPageIsNotLocal(String header) throws IOException {
        String[] parts = header.split(": ", 2);
        assertThat(post("localhost:" + port, Map.of(parts[0], parts[1]))).as(header).isEqualTo(401);
    }

    /** A raw HTTP/1.1 request, so that the Host header is exactly what the test says. */
    int post(String host, Map<String, String> headers) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            StringBuilder request = new StringBuilder("POST /api/eval HTTP/1.1\r\nHost: " + host + "\r\n");
            headers.forEach((name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
            byte[] body = SUBMISSION.getBytes(StandardCharsets.UTF_8);
            request.append("Content-Type: application/json\r\nContent-Length: ").append(body.length)
                    .append("\r\nConnection: close\r\n\r\n");
            OutputStream out = socket.getOutputStream();
            out.write(request.toString().getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream statusLine = new ByteArrayOutputStream();
            for (int b; (b = in.read()) != -1 && b != '\n'; ) {
                statusLine.write(b);
            }
            String line = statusLine.toString(StandardCharsets.US_ASCII);
            assertThat(line).as("status line for Host " + host).startsWith("HTTP/1.1 ");
            return Integer.parseInt(line.substring(9, 12));
        }
    }
}
