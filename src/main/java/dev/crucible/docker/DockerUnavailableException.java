package dev.crucible.docker;

/** The Docker daemon did not answer: the work was not done and can be tried again later. */
public class DockerUnavailableException extends RuntimeException {

    public DockerUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * The exception a caller should see for a failed Docker call: a {@link DockerUnavailableException}
     * (and the daemon marked down) when the daemon could not be reached or failed on its side
     * (HTTP 5xx: a full disk, a broken containerd), the failure itself otherwise (the request was
     * refused for what it asked).
     */
    public static RuntimeException translate(RuntimeException e, DockerDaemon daemon) {
        if (e instanceof DockerUnavailableException) {
            return e;
        }
        if (isConnectionFailure(e)) {
            daemon.reportUnreachable(e);
            return new DockerUnavailableException("Docker daemon unreachable: " + e.getMessage(), e);
        }
        if (e instanceof com.github.dockerjava.api.exception.InternalServerErrorException) {
            daemon.reportFailure("failing", e);
            return new DockerUnavailableException("Docker daemon failed: " + e.getMessage(), e);
        }
        return e;
    }

    /**
     * True when {@code failure} means the daemon could not be reached at all (socket missing,
     * connection refused or reset), as opposed to an answer from a daemon that refused a request.
     */
    public static boolean isConnectionFailure(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof DockerUnavailableException || t instanceof java.io.IOException) {
                return true;
            }
            if (t instanceof com.github.dockerjava.api.exception.DockerException) {
                return false;
            }
        }
        return false;
    }
}
