package dev.crucible.docker;

/** The Docker daemon did not answer: the work was not done and can be tried again later. */
public class DockerUnavailableException extends RuntimeException {

    public DockerUnavailableException(String message, Throwable cause) {
        super(message, cause);
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
