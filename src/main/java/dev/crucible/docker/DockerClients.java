package dev.crucible.docker;

import java.time.Duration;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;

/** Makes docker-java clients the way this platform needs them. */
public final class DockerClients {

    private DockerClients() {
    }

    /**
     * A client for the daemon at {@code host} (for example {@code unix:///var/run/docker.sock}).
     * No pinned API version (the engine may speak an older one than the client knows and refuses
     * newer clients) and the transport's default, unbounded connection pool: every run in flight
     * holds two or three connections (attach, wait, calls), and a small pool deadlocks under load.
     *
     * @param responseTimeout how long a request may wait for its answer; null for none (streams)
     */
    public static DockerClient connect(String host, Duration responseTimeout) {
        DefaultDockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder()
                .withDockerHost(host)
                .withDockerTlsVerify(false)
                .build();
        ZerodepDockerHttpClient.Builder http = new ZerodepDockerHttpClient.Builder()
                .dockerHost(config.getDockerHost())
                .connectionTimeout(Duration.ofSeconds(5));
        if (responseTimeout != null) {
            http.responseTimeout(responseTimeout);
        }
        return DockerClientImpl.getInstance(config, http.build());
    }

    /** Both connections to the daemon at {@code host}; see {@link Docker}. */
    /** The longest a ping waits for its answer. */
    static final Duration PING_TIMEOUT = Duration.ofSeconds(5);

    public static Docker docker(String host, Duration callTimeout) {
        Duration ping = callTimeout.compareTo(PING_TIMEOUT) < 0 ? callTimeout : PING_TIMEOUT;
        return new Docker(connect(host, callTimeout), connect(host, null), connect(host, ping));
    }
}
