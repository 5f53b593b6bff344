package dev.crucible.evaluation;

import java.util.List;

/**
 * One test case of an evaluation: the program runs once per case, in the evaluation's container,
 * with this stdin and, after the language's command (and the evaluation's own args), these
 * arguments; its stdout is compared with {@code expectedOutput} by the evaluation's
 * {@code compare_mode} and {@code tolerance}, which each case carries.
 *
 * @param expectedOutput null: the case passes when the program completes
 */
public record TestCase(String name, String stdin, String expectedOutput, List<String> args, String compareMode,
        Double tolerance) {

    public TestCase(String name, String stdin, String expectedOutput, List<String> args) {
        this(name, stdin, expectedOutput, args, null, null);
    }

    /** How this case's stdout is judged once it completed (or did not). */
    public String verdict(EvaluationStatus status, String stdout) {
        if (expectedOutput == null) {
            return status == EvaluationStatus.COMPLETED ? "passed" : "error";
        }
        return new OutputComparison(expectedOutput, OutputComparison.Mode.parse(compareMode),
                tolerance == null ? OutputComparison.DEFAULT_TOLERANCE : tolerance).verdict(status, stdout);
    }

    public static final int MAX_CASES = 100;
    public static final int MAX_NAME_LENGTH = 200;

    public TestCase {
        stdin = stdin == null ? "" : stdin;
        args = args == null ? List.of() : List.copyOf(args);
    }
}
