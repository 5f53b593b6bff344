package dev.crucible.batch;

import java.util.List;

import dev.crucible.evaluation.ProgramFile;
import dev.crucible.evaluation.TestCase;

/**
 * A batch program's settings from manifest.json beyond language, stdin, timeout and expected
 * output: its arguments, test cases, how output is compared, and the other archive members placed
 * beside it (named relative to its folder, their content read at upload).
 */
record ProgramSettings(List<String> args, List<TestCase> testCases, String compareMode, Double tolerance,
        List<ProgramFile> files) {

    static final ProgramSettings NONE = new ProgramSettings(null, null, null, null, null);

    boolean isEmpty() {
        return args == null && testCases == null && compareMode == null && tolerance == null && files == null;
    }
}
