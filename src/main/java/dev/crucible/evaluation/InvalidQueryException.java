package dev.crucible.evaluation;

import java.util.List;

/** A query parameter breaks a rule; answered with HTTP 422 (location "query"). */
public class InvalidQueryException extends RuntimeException {

    private final List<InvalidSubmissionException.Problem> problems;

    InvalidQueryException(List<InvalidSubmissionException.Problem> problems) {
        super("invalid query parameters");
        this.problems = List.copyOf(problems);
    }

    public List<InvalidSubmissionException.Problem> problems() {
        return problems;
    }
}
