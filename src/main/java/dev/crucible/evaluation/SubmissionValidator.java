package dev.crucible.evaluation;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import dev.crucible.runtime.Language;
import dev.crucible.runtime.Languages;
import org.springframework.stereotype.Component;

/** Checks a submission against the languages table and the limits, and fills in the defaults. */
@Component
public class SubmissionValidator {

    /** A submission that passed every rule, with every default filled in. */
    /** @param expectation null when no output is expected */
    public record Valid(Language language, String code, String stdin, Limits limits, int priority, String batchId,
            List<String> args, OutputComparison expectation, List<ProgramFile> files, Integer compileTimeoutSeconds,
            List<TestCase> testCases, String callbackUrl) {
    }

    /** At most this many arguments, each at most {@link #MAX_ARG_BYTES} bytes of UTF-8. */
    public static final int MAX_ARGS = 64;
    public static final int MAX_ARG_BYTES = 4096;

    private final Languages languages;
    private final LimitsProperties limits;
    private final RunCapacity capacity;
    private final CallbackTargets callbacks;

    public SubmissionValidator(Languages languages, LimitsProperties limits, RunCapacity capacity, CallbackTargets callbacks) {
        this.languages = languages;
        this.limits = limits;
        this.capacity = capacity;
        this.callbacks = callbacks;
    }

    public Valid validate(Submission s) {
        long maxCode = limits.maxCodeSize().toBytes();
        if (s.code() != null && utf8Length(s.code()) > maxCode) {
            throw new SubmissionTooLargeException("Code size exceeds maximum allowed size of " + maxCode + " bytes");
        }
        List<ProgramFile> files = s.files() == null ? List.of() : s.files();
        long codeAndFiles = (s.code() == null ? 0 : utf8Length(s.code()))
                + files.stream().mapToLong(f -> utf8Length(f.content())).sum();
        if (!files.isEmpty() && codeAndFiles > maxCode) {
            throw new SubmissionTooLargeException("Code and files together exceed the maximum allowed size of " + maxCode
                    + " bytes");
        }
        long maxStdin = limits.maxStdinSize().toBytes();
        if (s.stdin() != null && utf8Length(s.stdin()) > maxStdin) {
            throw new SubmissionTooLargeException("stdin size exceeds maximum allowed size of " + maxStdin + " bytes");
        }

        if (s.expectedOutput() != null && utf8Length(s.expectedOutput()) > maxStdin) {
            throw new SubmissionTooLargeException("expected_output size exceeds maximum allowed size of " + maxStdin + " bytes");
        }

        List<InvalidSubmissionException.Problem> problems = new ArrayList<>();
        if (s.code() == null) {
            problems.add(new InvalidSubmissionException.Problem("code", "missing", "Field required", null));
        } else if (s.code().isBlank()) {
            problems.add(new InvalidSubmissionException.Problem("code", "value_error", "Code cannot be empty", s.code()));
        } else if (s.code().indexOf('\0') >= 0) {
            problems.add(new InvalidSubmissionException.Problem("code", "value_error", "Code cannot contain NUL characters", null));
        }

        String languageName = s.language() == null ? "python" : s.language();
        Language language = languages.find(languageName).orElse(null);
        if (language == null && languages.isDisabled(languageName)) {
            problems.add(new InvalidSubmissionException.Problem("language", "value_error", "Language '" + languageName
                    + "' is not enabled on this platform (crucible.languages." + languageName.trim().toLowerCase(java.util.Locale.ROOT)
                    + ".enabled). Enabled languages: " + String.join(", ", languages.names()), languageName));
        } else if (language == null) {
            problems.add(new InvalidSubmissionException.Problem("language", "value_error", "Language '" + languageName
                    + "' is not supported. Supported languages: " + String.join(", ", languages.names()), languageName));
        }

        int timeout = s.timeoutSeconds() == null ? limits.defaultTimeoutSeconds() : s.timeoutSeconds();
        if (timeout < 1 || timeout > limits.maxTimeoutSeconds()) {
            problems.add(new InvalidSubmissionException.Problem("timeout", "value_error",
                    "Timeout must be between 1 and " + limits.maxTimeoutSeconds() + " seconds", s.timeoutSeconds()));
        }

        long memory = limits.defaultMemoryBytes();
        if (s.memoryLimit() != null && s.memoryLimit().length() > Quantities.MAX_LENGTH) {
            problems.add(tooLong("memory_limit", s.memoryLimit()));
        } else if (s.memoryLimit() != null && !s.memoryLimit().isBlank()) {
            memory = Quantities.memoryBytes(s.memoryLimit());
            if (memory < 0) {
                problems.add(new InvalidSubmissionException.Problem("memory_limit", "value_error",
                        "Memory limit must be a quantity such as 128Mi, 512Mi or 1Gi", s.memoryLimit()));
            } else if (memory < limits.minMemoryBytes() || memory > limits.maxMemoryBytes()) {
                problems.add(new InvalidSubmissionException.Problem("memory_limit", "value_error",
                        "Memory limit must be between " + Limits.formatMemory(limits.minMemoryBytes()) + " and "
                                + Limits.formatMemory(limits.maxMemoryBytes()), s.memoryLimit()));
            }
        }
        long budget = capacity.memoryBudgetBytes();
        if (memory > budget && memory <= limits.maxMemoryBytes()) {
            // it could never start: no worker may hold that much at once
            problems.add(new InvalidSubmissionException.Problem("memory_limit", "value_error",
                    "Memory limit " + Limits.formatMemory(memory) + " is more than the workers' whole memory budget of "
                            + Limits.formatMemory(budget) + " (crucible.worker.memory-budget)", s.memoryLimit()));
        }

        // a default above this host's cores would be refused by the daemon
        long cpus = Math.min(limits.defaultNanoCpus(), limits.maxNanoCpus());
        if (s.cpuLimit() != null && s.cpuLimit().length() > Quantities.MAX_LENGTH) {
            problems.add(tooLong("cpu_limit", s.cpuLimit()));
        } else if (s.cpuLimit() != null && !s.cpuLimit().isBlank()) {
            cpus = Quantities.nanoCpus(s.cpuLimit());
            if (cpus < 0) {
                problems.add(new InvalidSubmissionException.Problem("cpu_limit", "value_error",
                        "CPU limit must be a quantity such as 500m or 1", s.cpuLimit()));
            } else if (cpus < 10_000_000L || cpus > limits.maxNanoCpus()) {
                problems.add(new InvalidSubmissionException.Problem("cpu_limit", "value_error",
                        "CPU limit must be between 10m and " + Limits.formatCpus(limits.maxNanoCpus()), s.cpuLimit()));
            }
        }

        if (files.size() > ProgramFile.MAX_FILES) {
            problems.add(new InvalidSubmissionException.Problem("files", "value_error",
                    "At most " + ProgramFile.MAX_FILES + " files", files.size()));
        } else {
            java.util.Set<String> seen = new java.util.HashSet<>();
            for (int i = 0; i < files.size(); i++) {
                String name = files.get(i).name();
                String refusal = ProgramFile.refusal(name, language == null ? null : language.fileNameFor(s.code()));
                if (refusal == null && !seen.add(name)) {
                    refusal = "The name " + name + " is given twice";
                }
                for (int slash = name == null ? -1 : name.indexOf('/'); refusal == null && slash > 0;
                        slash = name.indexOf('/', slash + 1)) {
                    String folder = name.substring(0, slash);
                    if (files.stream().anyMatch(f -> folder.equals(f.name()))) {
                        refusal = "The name " + folder + " is both a file and a folder";
                    }
                }
                if (refusal != null) {
                    problems.add(new InvalidSubmissionException.Problem("files[" + i + "].name", "value_error", refusal,
                            name == null ? null : name.replaceAll("[\\x00-\\x1f\\x7f]", "?")));
                }
            }
        }

        List<String> args = s.args() == null ? List.of() : s.args();
        problems.addAll(argumentProblems(args, "args"));

        OutputComparison.Mode mode = OutputComparison.Mode.TRIM;
        try {
            mode = OutputComparison.Mode.parse(s.compareMode());
        } catch (IllegalArgumentException e) {
            problems.add(new InvalidSubmissionException.Problem("compare_mode", "value_error",
                    "compare_mode must be one of " + String.join(", ", OutputComparison.Mode.names()), s.compareMode()));
        }
        double tolerance = s.tolerance() == null ? OutputComparison.DEFAULT_TOLERANCE : s.tolerance();
        if (!Double.isFinite(tolerance) || tolerance < 0) {
            problems.add(new InvalidSubmissionException.Problem("tolerance", "value_error",
                    "tolerance must be a number of at least 0", s.tolerance()));
        }

        List<TestCase> cases = new ArrayList<>();
        if (s.testCases() != null) {
            if (s.testCases().isEmpty() || s.testCases().size() > TestCase.MAX_CASES) {
                problems.add(new InvalidSubmissionException.Problem("test_cases", "value_error",
                        "Between 1 and " + TestCase.MAX_CASES + " test cases", s.testCases().size()));
            }
            if (s.expectedOutput() != null) {
                problems.add(new InvalidSubmissionException.Problem("expected_output", "value_error",
                        "With test_cases, give expected_output in each case", null));
            }
            if (s.stdin() != null && !s.stdin().isEmpty()) {
                problems.add(new InvalidSubmissionException.Problem("stdin", "value_error",
                        "With test_cases, give stdin in each case", null));
            }
            long maxText = limits.maxStdinSize().toBytes();
            for (int i = 0; i < Math.min(s.testCases().size(), TestCase.MAX_CASES); i++) {
                TestCase c = s.testCases().get(i);
                String where = "test_cases[" + i + "]";
                String name = c.name() == null || c.name().isBlank() ? "case " + (i + 1) : c.name();
                if (name.length() > TestCase.MAX_NAME_LENGTH || name.chars().anyMatch(ch -> ch < 0x20 || ch == 0x7f)) {
                    problems.add(new InvalidSubmissionException.Problem(where + ".name", "value_error",
                            "A test case's name has at most " + TestCase.MAX_NAME_LENGTH + " characters and no control characters", null));
                }
                if (utf8Length(c.stdin()) > maxText) {
                    problems.add(new InvalidSubmissionException.Problem(where + ".stdin", "value_error",
                            "A test case's stdin may hold at most " + maxText + " bytes", null));
                }
                if (c.expectedOutput() != null && utf8Length(c.expectedOutput()) > maxText) {
                    problems.add(new InvalidSubmissionException.Problem(where + ".expected_output", "value_error",
                            "A test case's expected output may hold at most " + maxText + " bytes", null));
                }
                problems.addAll(argumentProblems(c.args(), where + ".args"));
                cases.add(new TestCase(name, c.stdin(), c.expectedOutput(), c.args(), mode.wire(), tolerance));
            }
        }

        Integer compileTimeout = null;
        if (s.compileTimeoutSeconds() != null && (s.compileTimeoutSeconds() < 1
                || s.compileTimeoutSeconds() > limits.maxCompileTimeoutSeconds())) {
            problems.add(new InvalidSubmissionException.Problem("compile_timeout", "value_error",
                    "compile_timeout must be between 1 and " + limits.maxCompileTimeoutSeconds() + " seconds",
                    s.compileTimeoutSeconds()));
        } else if (language != null && language.compiles()) {
            compileTimeout = s.compileTimeoutSeconds() != null ? s.compileTimeoutSeconds()
                    : Math.min(limits.defaultCompileTimeoutSeconds(), limits.maxCompileTimeoutSeconds());
        }

        if (s.priority() != null && (s.priority() < PriorityField.MIN || s.priority() > PriorityField.MAX)) {
            problems.add(new InvalidSubmissionException.Problem("priority", "value_error", PriorityField.RANGE, s.priority()));
        }

        if (s.callbackUrl() != null) {
            callbacks.refusal(s.callbackUrl()).ifPresent(why ->
                    problems.add(new InvalidSubmissionException.Problem("callback_url", "value_error", why, s.callbackUrl())));
        }

        if (!problems.isEmpty()) {
            throw new InvalidSubmissionException(problems);
        }
        return new Valid(language, s.code(), s.stdin() == null ? "" : s.stdin(), new Limits(timeout, memory, cpus),
                s.priority() == null ? 0 : s.priority(), s.batchId(), List.copyOf(args),
                s.expectedOutput() == null ? null : new OutputComparison(s.expectedOutput(), mode, tolerance),
                List.copyOf(files), compileTimeout, List.copyOf(cases), s.callbackUrl());
    }

    /** At most 64 strings of at most 4 KiB each, without NUL (the launcher passes them as C strings). */
    private static List<InvalidSubmissionException.Problem> argumentProblems(List<String> args, String field) {
        List<InvalidSubmissionException.Problem> problems = new ArrayList<>();
        if (args.size() > MAX_ARGS) {
            problems.add(new InvalidSubmissionException.Problem(field, "value_error",
                    "At most " + MAX_ARGS + " arguments", args.size()));
        }
        for (int i = 0; i < Math.min(args.size(), MAX_ARGS); i++) {
            String arg = args.get(i);
            if (arg == null) {
                problems.add(new InvalidSubmissionException.Problem(field + "[" + i + "]", "string_type", "Input should be a valid string", null));
            } else if (utf8Length(arg) > MAX_ARG_BYTES) {
                problems.add(new InvalidSubmissionException.Problem(field + "[" + i + "]", "value_error",
                        "An argument may hold at most " + MAX_ARG_BYTES + " bytes", null));
            } else if (arg.indexOf('\0') >= 0) {
                problems.add(new InvalidSubmissionException.Problem(field + "[" + i + "]", "value_error",
                        "An argument cannot contain NUL characters", null));
            }
        }
        return problems;
    }

    /** Refused before parsing: decimal parsing of a megabyte of digits would keep a core busy for minutes. */
    private static InvalidSubmissionException.Problem tooLong(String field, String value) {
        return new InvalidSubmissionException.Problem(field, "string_too_long",
                "A quantity has at most " + Quantities.MAX_LENGTH + " characters", value.substring(0, Quantities.MAX_LENGTH) + "...");
    }

    private static long utf8Length(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }
}
