package dev.crucible.evaluation;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The list fields of a submission as JSON gives them: {@code args} (strings) and {@code files}
 * ({@code {name, content}} objects with string values), or absent. Anything else is refused
 * naming the field and the entry, rather than left to the JSON reader, whose error for a nested
 * list loses the field's name. Counts, lengths and names are the validator's
 * ({@link SubmissionValidator}).
 */
public final class ListFields {

    private ListFields() {
    }

    public static List<String> args(Object json) {
        return parse(json, "args", "a valid list of strings", "string_type", "a valid string",
                element -> element instanceof String arg ? arg : null);
    }

    public static List<ProgramFile> files(Object json) {
        return parse(json, "files", "a valid list of {name, content} objects", "model_type",
                "an object with a string name and a string content",
                element -> element instanceof Map<?, ?> entry && entry.get("name") instanceof String name
                        && entry.get("content") instanceof String content ? new ProgramFile(name, content) : null);
    }

    /**
     * {@code [{name, stdin, expected_output, args}]}: every member optional, strings where given
     * (args a list of strings).
     */
    public static List<TestCase> testCases(Object json) {
        return parse(json, "test_cases", "a valid list of {name, stdin, expected_output, args} objects", "model_type",
                "an object with optional string name, stdin and expected_output and a list of strings args",
                ListFields::testCase);
    }

    private static TestCase testCase(Object element) {
        if (!(element instanceof Map<?, ?> entry)) {
            return null;
        }
        for (String key : List.of("name", "stdin", "expected_output")) {
            if (entry.get(key) != null && !(entry.get(key) instanceof String)) {
                return null;
            }
        }
        List<String> args = null;
        if (entry.get("args") != null) {
            if (!(entry.get("args") instanceof List<?> list) || !list.stream().allMatch(String.class::isInstance)) {
                return null;
            }
            args = list.stream().map(String.class::cast).toList();
        }
        return new TestCase((String) entry.get("name"), (String) entry.get("stdin"), (String) entry.get("expected_output"),
                args);
    }

    /** {@code convert} gives null for an element of the wrong shape. */
    private static <T> List<T> parse(Object json, String field, String listShape, String elementType, String elementShape,
            Function<Object, T> convert) {
        if (json == null) {
            return null;
        }
        if (!(json instanceof List<?> list)) {
            throw new InvalidSubmissionException(List.of(new InvalidSubmissionException.Problem(field, "list_type",
                    "Input should be " + listShape, null)));
        }
        List<T> values = new ArrayList<>(list.size());
        List<InvalidSubmissionException.Problem> problems = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            T value = convert.apply(list.get(i));
            if (value == null) {
                problems.add(new InvalidSubmissionException.Problem(field + "[" + i + "]", elementType,
                        "Input should be " + elementShape, null));
            } else {
                values.add(value);
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidSubmissionException(problems);
        }
        return values;
    }
}
