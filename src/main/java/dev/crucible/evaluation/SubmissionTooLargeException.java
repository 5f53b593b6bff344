package dev.crucible.evaluation;

/** The code (or stdin, or the whole request) is larger than allowed; answered with HTTP 413. */
public class SubmissionTooLargeException extends RuntimeException {

    public SubmissionTooLargeException(String message) {
        super(message);
    }
}
