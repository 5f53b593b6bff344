package dev.crucible.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Free space in the storage folder (the database and the batch files). New work is refused while
 * it is below {@code crucible.storage.min-free}: a database that runs out of space mid-write is
 * the one thing that could damage what is already stored, so the platform stops taking work well
 * before that, and takes it again by itself once space is freed.
 */
@Component
public class StorageSpace {

    private final Path dir;
    private final long minFree;

    public StorageSpace(@Value("${" + StorageDirectory.PROPERTY + "}") String dir, StorageProperties properties) {
        this.dir = Path.of(dir);
        this.minFree = properties.minFree().toBytes();
    }

    /** Bytes an unprivileged writer can still use; 0 when it cannot be read. */
    public long usableBytes() {
        try {
            return Files.getFileStore(dir).getUsableSpace();
        } catch (IOException e) {
            return 0;
        }
    }

    /** Null while there is room; otherwise what to tell the client and health. */
    public String fullReason() {
        long usable = usableBytes();
        if (usable >= minFree) {
            return null;
        }
        return "storage full: " + mebibytes(usable) + " free in " + dir + ", below the "
                + mebibytes(minFree) + " the platform keeps in reserve (crucible.storage.min-free); "
                + "new work is refused until space is freed";
    }

    /** @throws StorageFullException when there is not room for new work */
    public void requireRoom() {
        String reason = fullReason();
        if (reason != null) {
            throw new StorageFullException(reason);
        }
    }

    /** Whether {@code failure} (or a cause) is the operating system saying the disk is full. */
    public static boolean isNoSpace(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String message = t.getMessage();
            if (message != null && (message.contains("No space left on device") || message.contains("Disk quota exceeded"))) {
                return true;
            }
        }
        return false;
    }

    private static String mebibytes(long bytes) {
        return (bytes >> 20) + " MiB";
    }
}
