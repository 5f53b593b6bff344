package dev.crucible.sandbox;

/** The runtime image of the evaluation's language is not on the Docker host. */
public class ImageUnavailableException extends RuntimeException {

    public ImageUnavailableException(String image) {
        super("runtime image " + image + " is not present on the Docker host (build it with deploy/runtimes/build.sh)");
    }
}
