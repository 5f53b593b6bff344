package dev.crucible.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;

/**
 * A local stand-in for the ECR API's GetAuthorizationToken (the AWS JSON 1.1 protocol the SDK
 * speaks), so the real AWS SDK client can be pointed at it with an endpoint override. AWS itself
 * cannot be reached from here; everything else on the path (SDK, token decoding, caching, the
 * docker pull with the resulting auth, the real registry) is real.
 */
public final class FakeEcr implements AutoCloseable {

    private final HttpServer server;
    private final AtomicInteger calls = new AtomicInteger();
    private volatile String password;
    private volatile String registry;
    private volatile Instant expiresAt = Instant.now().plusSeconds(12 * 3600);

    public FakeEcr(String registry, String password) {
        this.registry = registry;
        this.password = password;
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", exchange -> {
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            exchange.getRequestBody().readAllBytes();
            byte[] body;
            int status;
            if (target != null && target.endsWith(".GetAuthorizationToken")) {
                calls.incrementAndGet();
                String token = Base64.getEncoder().encodeToString(("AWS:" + this.password).getBytes(StandardCharsets.UTF_8));
                body = ("{\"authorizationData\":[{\"authorizationToken\":\"" + token + "\",\"expiresAt\":"
                        + expiresAt.getEpochSecond() + ",\"proxyEndpoint\":\"http://" + this.registry + "\"}]}")
                        .getBytes(StandardCharsets.UTF_8);
                status = 200;
            } else {
                body = ("{\"__type\":\"UnknownOperationException\",\"message\":\"" + target + "\"}").getBytes(StandardCharsets.UTF_8);
                status = 400;
            }
            exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    public String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public int calls() {
        return calls.get();
    }

    public void password(String password) {
        this.password = password;
    }

    public void expiresAt(Instant expiresAt) {
        this.expiresAt = expiresAt;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
