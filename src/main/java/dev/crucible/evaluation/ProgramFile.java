package dev.crucible.evaluation;

import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A file placed beside the program (its entry point stays {@code code}): a helper module, a
 * header, another class. {@code name} is a relative path inside the program's folder.
 */
public record ProgramFile(String name, String content) {

    public static final int MAX_FILES = 100;
    static final int MAX_NAME_LENGTH = 255;
    static final int MAX_DEPTH = 8;
    private static final Pattern CONTROL = Pattern.compile("[\\x00-\\x1f\\x7f]");
    /** The sandbox's own files in the program's folder (sandbox/CodeArchive), and /out's name. */
    static final Set<String> RESERVED = Set.of("stdin", ".crucible-launch", ".crucible-cases");

    /**
     * Why {@code name} cannot be used beside a program written to {@code programFile}, or null
     * when it can: not empty, relative, without {@code ..} or {@code .} segments, backslashes or
     * control characters, at most 255 characters and 8 folders deep, and not a name the platform
     * uses itself.
     */
    static String refusal(String name, String programFile) {
        if (name == null || name.isEmpty()) {
            return "A file needs a name";
        }
        if (name.length() > MAX_NAME_LENGTH) {
            return "A file name may have at most " + MAX_NAME_LENGTH + " characters";
        }
        if (CONTROL.matcher(name).find()) {
            return "A file name cannot contain control characters";
        }
        if (name.startsWith("/") || name.contains("\\")) {
            return "A file name must be a relative path with / between folders";
        }
        List<String> segments = List.of(name.split("/", -1));
        if (segments.size() > MAX_DEPTH) {
            return "A file may be at most " + MAX_DEPTH + " folders deep";
        }
        for (String segment : segments) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                return "A file name cannot hold empty, . or .. parts";
            }
        }
        if (name.equals(programFile) || RESERVED.contains(segments.get(0))) {
            return "The name " + name + " is the program's own or the platform's";
        }
        return null;
    }
}
