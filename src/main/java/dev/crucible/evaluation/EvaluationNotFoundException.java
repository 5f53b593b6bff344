package dev.crucible.evaluation;

/** No evaluation has this id; answered with HTTP 404. */
public class EvaluationNotFoundException extends RuntimeException {

    private final String evalId;

    public EvaluationNotFoundException(String evalId) {
        super("Evaluation not found");
        this.evalId = evalId;
    }

    public String evalId() {
        return evalId;
    }
}
