package dev.crucible.batch;

/**
 * An upload that cannot become a batch, with the HTTP status that says why: 400 (not an archive,
 * unreadable), 413 (too many files, too large, a zip bomb), 422 (unsafe paths, links, names that
 * are not UTF-8, nothing to run, a wrong manifest). Nothing is kept of it.
 */
public class BadArchiveException extends RuntimeException {

    private final int status;

    public BadArchiveException(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
