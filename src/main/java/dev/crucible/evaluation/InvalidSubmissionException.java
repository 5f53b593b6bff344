package dev.crucible.evaluation;

import java.util.List;

/** The submission breaks one or more rules; nothing was stored. Answered with HTTP 422. */
public class InvalidSubmissionException extends RuntimeException {

    /**
     * One broken rule, in the shape FastAPI clients know.
     *
     * @param field the request field (snake_case, as on the wire)
     * @param type a stable machine-readable kind ({@code missing}, {@code value_error}, ...)
     */
    public record Problem(String field, String type, String message, Object input) {
    }

    private final List<Problem> problems;

    public InvalidSubmissionException(List<Problem> problems) {
        super(problems.stream().map(p -> p.field() + ": " + p.message()).reduce((a, b) -> a + "; " + b).orElse(""));
        this.problems = List.copyOf(problems);
    }

    public List<Problem> problems() {
        return problems;
    }
}
