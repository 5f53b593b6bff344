package dev.crucible.evaluation;

import java.util.List;

/**
 * An evaluation as someone asked for it, before validation. Null fields take the defaults.
 * The REST API, the web form and batch uploads all submit through this one shape.
 *
 * @param args passed to the program after the language's command, as an argument vector (never a
 *             shell line); null for none
 * @param expectedOutput what stdout should be; null for no verdict
 * @param compareMode how stdout is compared with it ({@link OutputComparison.Mode}); null: trim
 * @param tolerance for the numeric mode; null: {@link OutputComparison#DEFAULT_TOLERANCE}
 * @param files placed beside the program (its entry point stays {@code code}); null for none
 * @param compileTimeoutSeconds the compile stage's time limit (compiled languages); null: the default
 * @param testCases run the program once per case and judge each; null for none
 * @param callbackUrl where the evaluation's end is POSTed, signed (see dev.crucible.webhooks); null for none
 */
public record Submission(
        String code,
        String language,
        Integer timeoutSeconds,
        String memoryLimit,
        String cpuLimit,
        String stdin,
        Integer priority,
        String batchId,
        List<String> args,
        String expectedOutput,
        String compareMode,
        Double tolerance,
        List<ProgramFile> files,
        Integer compileTimeoutSeconds,
        List<TestCase> testCases,
        String callbackUrl) {

    public Submission(String code, String language, Integer timeoutSeconds, String memoryLimit, String cpuLimit, String stdin,
            Integer priority, String batchId, List<String> args, String expectedOutput, String compareMode, Double tolerance,
            List<ProgramFile> files, Integer compileTimeoutSeconds, List<TestCase> testCases) {
        this(code, language, timeoutSeconds, memoryLimit, cpuLimit, stdin, priority, batchId, args, expectedOutput, compareMode,
                tolerance, files, compileTimeoutSeconds, testCases, null);
    }

    public Submission(String code, String language, Integer timeoutSeconds, String memoryLimit, String cpuLimit, String stdin,
            Integer priority, String batchId, List<String> args, String expectedOutput, String compareMode, Double tolerance,
            List<ProgramFile> files, Integer compileTimeoutSeconds) {
        this(code, language, timeoutSeconds, memoryLimit, cpuLimit, stdin, priority, batchId, args, expectedOutput, compareMode,
                tolerance, files, compileTimeoutSeconds, null);
    }

    public Submission(String code, String language, Integer timeoutSeconds, String memoryLimit, String cpuLimit, String stdin,
            Integer priority, String batchId, List<String> args, String expectedOutput, String compareMode, Double tolerance,
            List<ProgramFile> files) {
        this(code, language, timeoutSeconds, memoryLimit, cpuLimit, stdin, priority, batchId, args, expectedOutput, compareMode,
                tolerance, files, null);
    }

    /** Without arguments (the program's argument vector is then the language's command alone). */
    public Submission(String code, String language, Integer timeoutSeconds, String memoryLimit, String cpuLimit, String stdin,
            Integer priority, String batchId) {
        this(code, language, timeoutSeconds, memoryLimit, cpuLimit, stdin, priority, batchId, null, null, null, null, null);
    }

    public static Submission of(String code, String language) {
        return new Submission(code, language, null, null, null, null, null, null);
    }
}
