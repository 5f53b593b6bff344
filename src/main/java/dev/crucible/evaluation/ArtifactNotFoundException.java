package dev.crucible.evaluation;

/** The evaluation exists, but its program left no file of this name. */
public class ArtifactNotFoundException extends RuntimeException {

    public ArtifactNotFoundException(String evalId, String name) {
        super("Evaluation " + evalId + " has no artifact named " + name);
    }
}
