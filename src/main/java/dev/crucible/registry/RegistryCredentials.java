package dev.crucible.registry;

import java.util.Optional;

/**
 * The credentials for pulling an image, or none for an anonymous pull.
 *
 * @param server the registry host the credentials are for (docker's serveraddress)
 */
public record RegistryCredentials(String username, String password, String server) {

    @Override
    public String toString() {
        // never let the password reach a log line through a record's toString
        return "RegistryCredentials[username=" + username + ", server=" + server + ", password=*****]";
    }

    /** What a registry client knows how to do: hand out credentials for an image. */
    public interface Source {
        /**
         * @throws RegistryAuthException the credentials could not be had (the message says why, without secrets)
         */
        Optional<RegistryCredentials> credentialsFor(String image);
    }
}
