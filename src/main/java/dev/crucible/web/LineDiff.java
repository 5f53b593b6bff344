package dev.crucible.web;

import java.util.ArrayList;
import java.util.List;

/**
 * A line diff of expected and actual output for the evaluation page (longest common subsequence
 * of lines): each line kept, missing (expected, not printed) or extra (printed, not expected).
 * Outputs longer than {@link #MAX_LINES} lines are not diffed (the page shows both whole).
 */
public final class LineDiff {

    static final int MAX_LINES = 2000;

    public enum Kind { SAME, MISSING, EXTRA }

    public record Line(Kind kind, String text) {

        public String css() {
            return "diff-" + kind.name().toLowerCase(java.util.Locale.ROOT);
        }

        public String marker() {
            return switch (kind) {
                case SAME -> " ";
                case MISSING -> "-";
                case EXTRA -> "+";
            };
        }
    }

    private LineDiff() {
    }

    /** The diff, or null when either side is too long to diff here. */
    public static List<Line> of(String expected, String actual) {
        List<String> a = (expected == null ? "" : expected).lines().toList();
        List<String> b = (actual == null ? "" : actual).lines().toList();
        if (a.size() > MAX_LINES || b.size() > MAX_LINES) {
            return null;
        }
        int[][] common = new int[a.size() + 1][b.size() + 1];
        for (int i = a.size() - 1; i >= 0; i--) {
            for (int j = b.size() - 1; j >= 0; j--) {
                common[i][j] = a.get(i).equals(b.get(j)) ? common[i + 1][j + 1] + 1 : Math.max(common[i + 1][j], common[i][j + 1]);
            }
        }
        List<Line> lines = new ArrayList<>();
        int i = 0;
        int j = 0;
        while (i < a.size() && j < b.size()) {
            if (a.get(i).equals(b.get(j))) {
                lines.add(new Line(Kind.SAME, a.get(i++)));
                j++;
            } else if (common[i + 1][j] >= common[i][j + 1]) {
                lines.add(new Line(Kind.MISSING, a.get(i++)));
            } else {
                lines.add(new Line(Kind.EXTRA, b.get(j++)));
            }
        }
        while (i < a.size()) {
            lines.add(new Line(Kind.MISSING, a.get(i++)));
        }
        while (j < b.size()) {
            lines.add(new Line(Kind.EXTRA, b.get(j++)));
        }
        return lines;
    }
}
