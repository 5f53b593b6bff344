package dev.crucible.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class LineDiffTest {

    static String render(List<LineDiff.Line> lines) {
        StringBuilder out = new StringBuilder();
        lines.forEach(l -> out.append(l.marker()).append(l.text()).append('\n'));
        return out.toString();
    }

    @Test
    void keptMissingAndExtraLinesInOrder() {
        assertThat(render(LineDiff.of("1\n2\n3\n", "1\n3\n4\n"))).isEqualTo(" 1\n-2\n 3\n+4\n");
        assertThat(render(LineDiff.of("", "x\n"))).isEqualTo("+x\n");
        assertThat(render(LineDiff.of("same\n", "same\n"))).isEqualTo(" same\n");
    }

    @Test
    void tooLongToDiffIsNull() {
        assertThat(LineDiff.of("x\n".repeat(LineDiff.MAX_LINES + 1), "y")).isNull();
    }
}
