package dev.crucible.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import com.github.dockerjava.core.command.PushImageResultCallback;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.AuthConfig;
import org.awaitility.Awaitility;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

/**
 * A real private registry on 127.0.0.1 (Debian's docker-registry, the CNCF distribution, with
 * htpasswd basic auth), started once for the test JVM. The Docker daemon trusts 127.0.0.0/8 as an
 * insecure registry, so no TLS is needed. User "AWS", as an ECR token's user is.
 */
public final class TestRegistry {

    public static final String USER = "AWS";
    public static final String PASSWORD = "registry-secret-" + Long.toHexString(System.nanoTime());

    private static TestRegistry instance;

    private final int port;
    private final Process process;

    private TestRegistry(int port, Process process) {
        this.port = port;
        this.process = process;
    }

    public static synchronized TestRegistry get() {
        if (instance == null) {
            instance = start();
        }
        return instance;
    }

    public String address() {
        return "127.0.0.1:" + port;
    }

    private static TestRegistry start() {
        try {
            Path dir = TempStorage.create("registry");
            Files.writeString(dir.resolve("htpasswd"), USER + ":" + new BCryptPasswordEncoder().encode(PASSWORD) + "\n");
            int port;
            try (ServerSocket socket = new ServerSocket(0)) {
                port = socket.getLocalPort();
            }
            Path config = dir.resolve("config.yml");
            Files.writeString(config, """
                    version: 0.1
                    log:
                      level: warn
                    storage:
                      filesystem:
                        rootdirectory: %s
                      delete:
                        enabled: true
                    http:
                      addr: 127.0.0.1:%d
                    auth:
                      htpasswd:
                        realm: crucible-test
                        path: %s
                    """.formatted(dir.resolve("data"), port, dir.resolve("htpasswd")));
            Process process = new ProcessBuilder("docker-registry", "serve", config.toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("registry.log").toFile()).start();
            Runtime.getRuntime().addShutdownHook(new Thread(process::destroy));
            Awaitility.await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> {
                try (Socket s = new Socket("127.0.0.1", port)) {
                    return true;
                }
            });
            return new TestRegistry(port, process);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start docker-registry (is Debian's docker-registry installed?)", e);
        }
    }

    /**
     * Copies a local image into the registry as {@code repository:tag} and removes that name from
     * the daemon again, so whoever needs it must pull it. Returns the full image name.
     */
    public String push(String localImage, String repository, String tag) throws InterruptedException {
        String name = address() + "/" + repository;
        TestDocker.client().tagImageCmd(localImage, name, tag).exec();
        TestDocker.docker().streams().pushImageCmd(name).withTag(tag)
                .withAuthConfig(new AuthConfig().withUsername(USER).withPassword(PASSWORD).withRegistryAddress(address()))
                .exec(new PushImageResultCallback()).awaitCompletion(120, TimeUnit.SECONDS);
        removeLocally(name + ":" + tag);
        return name + ":" + tag;
    }

    public static void removeLocally(String image) {
        try {
            TestDocker.client().removeImageCmd(image).exec();
        } catch (NotFoundException e) {
            // not there
        }
    }

    public boolean alive() {
        return process.isAlive();
    }
}
