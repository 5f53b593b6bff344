package dev.crucible.registry;

/** Credentials for a registry could not be had; the message is safe to show (it carries no secret). */
public class RegistryAuthException extends RuntimeException {

    public RegistryAuthException(String message, Throwable cause) {
        super(message, cause);
    }
}
