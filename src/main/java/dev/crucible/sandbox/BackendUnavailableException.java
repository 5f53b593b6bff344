package dev.crucible.sandbox;

/** The execution backend cannot take or finish work now (the Docker daemon does not answer, say). */
public class BackendUnavailableException extends RuntimeException {

    public BackendUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
