package dev.crucible.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

import dev.crucible.support.TempStorageInitializer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ContextConfiguration;

/**
 * The session cookie is {@code Secure} whenever the request came over HTTPS: here through a
 * reverse proxy on this machine that says so ({@code X-Forwarded-Proto}), with forward headers
 * enabled as the README tells operators behind a proxy to do. Over plain HTTP it cannot be (the
 * browser would drop it), and a proxy header from an untrusted address changes nothing.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"crucible.docker.host=unix:///nonexistent/docker.sock", "server.forward-headers-strategy=native"})
@ContextConfiguration(initializers = TempStorageInitializer.class)
class SessionCookieTest {

    @LocalServerPort
    int port;

    List<String> sessionCookies(String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/login"));
        if (headers.length > 0) {
            request.headers(headers);
        }
        HttpResponse<Void> response = HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.discarding());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("JSESSIONID=")).toList();
    }

    @Test
    void theSessionCookieIsSecureWhenTheProxySaysHttps() throws Exception {
        assertThat(sessionCookies("X-Forwarded-Proto", "https")).isNotEmpty()
                .allMatch(c -> c.contains("; Secure"), "Secure").allMatch(c -> c.contains("HttpOnly"));
        assertThat(sessionCookies()).isNotEmpty().noneMatch(c -> c.contains("; Secure"));
    }
}
