package dev.crucible.docker;

import java.io.IOException;

import com.github.dockerjava.api.DockerClient;

/**
 * The two connections to the Docker daemon. {@code calls} is for requests that answer at once
 * (create, start, inspect, kill, remove, list): each has a response timeout, so a daemon that
 * hangs fails them instead of holding a worker forever. {@code streams} is for requests that stay
 * open as long as a container runs or an image downloads (attach, wait, stats, pull): those may be
 * silent for minutes and have no response timeout; their ends are watched by the caller.
 * {@code pings} asks whether the daemon answers at all, within a few seconds: a connection that
 * hangs (a daemon stuck, a socket cut mid-request) must not hold back the news that it is back.
 */
public record Docker(DockerClient calls, DockerClient streams, DockerClient pings) implements AutoCloseable {

    @Override
    public void close() throws IOException {
        calls.close();
        streams.close();
        pings.close();
    }
}
