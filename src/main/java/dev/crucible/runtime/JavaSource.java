package dev.crucible.runtime;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the Java language needs to know of a program's source without compiling it: the public
 * top-level class (the file must be named after it) and the class that declares {@code main}
 * (what {@code java} runs), with its package and, for a nested class, its binary name
 * ({@code Outer$Inner}). Comments, strings and character literals are blanked first, so a
 * {@code main} in a comment is not taken for one.
 *
 * @param fileClass the public top-level class, else the class with main, else {@code Main}
 * @param mainClass the binary name of the class with main, else of the file's class
 */
public record JavaSource(String fileClass, String mainClass) {

    private static final Pattern PACKAGE = Pattern.compile("\\bpackage\\s+([\\w.]+)\\s*;");
    private static final Pattern TYPE = Pattern.compile(
            "\\b(?:(public)\\s+)?(?:(?:abstract|final|static|sealed|non-sealed|strictfp)\\s+)*"
                    + "(?:class|interface|enum|record)\\s+(\\w+)");
    private static final Pattern MAIN = Pattern.compile("\\bstatic\\s+(?:final\\s+)?void\\s+main\\s*\\(");

    public static JavaSource of(String code) {
        String text = blank(code == null ? "" : code);
        Matcher pkg = PACKAGE.matcher(text);
        String prefix = pkg.find() ? pkg.group(1) + "." : "";

        String publicClass = null;
        String mainClass = null;
        // walk the braces: which declared types enclose each position
        Deque<String> open = new ArrayDeque<>();
        Deque<Integer> depths = new ArrayDeque<>();
        String pendingType = null;
        int depth = 0;
        Matcher type = TYPE.matcher(text);
        Matcher main = MAIN.matcher(text);
        int nextType = type.find() ? type.start() : -1;
        int nextMain = main.find() ? main.start() : -1;
        for (int i = 0; i < text.length(); i++) {
            if (i == nextType) {
                pendingType = type.group(2);
                if (depth == 0 && type.group(1) != null && publicClass == null) {
                    publicClass = pendingType;
                }
                i = type.end() - 1;
                nextType = type.find() ? type.start() : -1;
                continue;
            }
            if (i == nextMain) {
                if (mainClass == null && !open.isEmpty()) {
                    List<String> outward = new ArrayList<>(open);
                    Collections.reverse(outward);
                    mainClass = String.join("$", outward);
                }
                nextMain = main.find(i + 1) ? main.start() : -1;
            }
            char c = text.charAt(i);
            if (c == '{') {
                depth++;
                if (pendingType != null) {
                    open.push(pendingType);
                    depths.push(depth);
                    pendingType = null;
                }
            } else if (c == '}') {
                if (!depths.isEmpty() && depths.peek() == depth) {
                    depths.pop();
                    open.pop();
                }
                depth = Math.max(0, depth - 1);
            }
        }
        String fileClass = publicClass != null ? publicClass
                : mainClass != null ? mainClass.split("\\$")[0] : "Main";
        return new JavaSource(fileClass, prefix + (mainClass != null ? mainClass : fileClass));
    }

    /** The code with comments, string, text-block and character literals turned to spaces. */
    static String blank(String code) {
        StringBuilder out = new StringBuilder(code.length());
        int i = 0;
        while (i < code.length()) {
            char c = code.charAt(i);
            if (code.startsWith("//", i)) {
                while (i < code.length() && code.charAt(i) != '\n') {
                    out.append(' ');
                    i++;
                }
            } else if (code.startsWith("/*", i)) {
                int end = code.indexOf("*/", i + 2);
                end = end < 0 ? code.length() : end + 2;
                for (; i < end; i++) {
                    out.append(code.charAt(i) == '\n' ? '\n' : ' ');
                }
            } else if (code.startsWith("\"\"\"", i)) {
                int end = code.indexOf("\"\"\"", i + 3);
                end = end < 0 ? code.length() : end + 3;
                for (; i < end; i++) {
                    out.append(code.charAt(i) == '\n' ? '\n' : ' ');
                }
            } else if (c == '"' || c == '\'') {
                out.append(' ');
                i++;
                while (i < code.length() && code.charAt(i) != c && code.charAt(i) != '\n') {
                    if (code.charAt(i) == '\\' && i + 1 < code.length()) {
                        out.append(' ');
                        i++;
                    }
                    out.append(' ');
                    i++;
                }
                if (i < code.length()) {
                    out.append(code.charAt(i) == '\n' ? '\n' : ' ');
                    i++;
                }
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }
}
