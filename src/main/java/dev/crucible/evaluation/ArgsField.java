package dev.crucible.evaluation;

import java.util.ArrayList;
import java.util.List;

/**
 * The {@code args} field as JSON gives it: a list of strings, or absent. Anything else (a string,
 * a number, a list holding lists or numbers) is refused naming the field, rather than left to the
 * JSON reader, whose error for a nested list loses the field's name. Lengths and counts are the
 * validator's ({@link SubmissionValidator}).
 */
final class ArgsField {

    private ArgsField() {
    }

    static List<String> parse(Object json) {
        if (json == null) {
            return null;
        }
        if (!(json instanceof List<?> list)) {
            throw new InvalidSubmissionException(List.of(new InvalidSubmissionException.Problem("args", "list_type",
                    "Input should be a valid list of strings", null)));
        }
        List<String> args = new ArrayList<>(list.size());
        List<InvalidSubmissionException.Problem> problems = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i) instanceof String arg) {
                args.add(arg);
            } else {
                problems.add(new InvalidSubmissionException.Problem("args[" + i + "]", "string_type",
                        "Input should be a valid string", null));
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidSubmissionException(problems);
        }
        return args;
    }
}
