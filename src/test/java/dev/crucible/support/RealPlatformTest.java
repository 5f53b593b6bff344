package dev.crucible.support;

import dev.crucible.storage.Installation;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ContextConfiguration;

/**
 * The whole platform on a random port with real containers, reached through its REST API (one
 * Spring context shared by the classes that extend this). After each class, no container of
 * this installation may be left.
 */
@Tag("docker")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"crucible.worker.concurrency=2", "crucible.images.pull-policy=never"})
@ContextConfiguration(initializers = TempStorageInitializer.class)
public abstract class RealPlatformTest {

    @LocalServerPort
    protected int port;

    @Autowired
    protected Installation installation;

    protected Api api;
    private static String installationId;

    @BeforeEach
    void connect() {
        api = new Api("http://localhost:" + port);
        installationId = installation.id();
    }

    @AfterAll
    static void noContainerLeftBehind() {
        TestDocker.awaitNoContainerOf(installationId);
    }
}
