package dev.crucible.storage;

/** The storage folder has too little free space for new work; answered with HTTP 503. */
public class StorageFullException extends RuntimeException {

    public StorageFullException(String message) {
        super(message);
    }
}
