package dev.crucible.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OutputComparisonTest {

    static String judge(String mode, double tolerance, String expected, String actual) {
        return new OutputComparison(expected, OutputComparison.Mode.parse(mode), tolerance)
                .verdict(EvaluationStatus.COMPLETED, actual);
    }

    @ParameterizedTest(name = "{0}: {2} against {3} is {4}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            trim    | 0     | "1\\n2"        | "1  \\n2\\n\\n"       | passed
            trim    | 0     | "1\\n2"        | "1\\r\\n2\\r\\n"      | passed
            trim    | 0     | "1 2"          | "1  2"                | wrong_answer
            trim    | 0     | "a"            | " a"                  | wrong_answer
            exact   | 0     | "1\\n"         | "1\\n"                | passed
            exact   | 0     | "1\\n"         | "1"                   | wrong_answer
            exact   | 0     | "1\\n"         | "1 \\n"               | wrong_answer
            tokens  | 0     | "1 2\\n3"      | "  1\\t2 3 \\n"       | passed
            tokens  | 0     | "1 2 3"        | "1 2"                 | wrong_answer
            tokens  | 0     | "a b"          | "a  B"                | wrong_answer
            numeric | 1e-6  | "3.14159265"   | "3.1415926"           | passed
            numeric | 1e-6  | "3.14159265"   | "3.1416"              | wrong_answer
            numeric | 0.01  | "3.14159265"   | "3.1416"              | passed
            numeric | 1e-6  | "1e6 2"        | "1000000.0000001 2.0" | passed
            numeric | 1e-6  | "x = 2"        | "x = 2.0000000001"    | passed
            numeric | 1e-6  | "x = 2"        | "y = 2"               | wrong_answer
            numeric | 1e-6  | "1 2"          | "1 2 3"               | wrong_answer
            numeric | 1e-6  | "nan"          | "nan"                 | passed
            numeric | 1e-6  | "1"            | "inf"                 | wrong_answer
            """)
    void modes(String mode, double tolerance, String expected, String actual, String verdict) {
        assertThat(judge(mode, tolerance, unescape(expected), unescape(actual))).isEqualTo(verdict);
    }

    static String unescape(String s) {
        return s.replace("\\n", "\n").replace("\\r", "\r").replace("\\t", "\t");
    }

    @Test
    void aProgramThatDidNotCompleteIsAnErrorAndOneStillRunningHasNoVerdictYet() {
        OutputComparison c = new OutputComparison("1", OutputComparison.Mode.TRIM, 0);
        assertThat(c.verdict(EvaluationStatus.FAILED, "1")).isEqualTo("error");
        assertThat(c.verdict(EvaluationStatus.TIMEOUT, "1")).isEqualTo("error");
        assertThat(c.verdict(EvaluationStatus.CANCELLED, "")).isEqualTo("error");
        assertThat(c.verdict(EvaluationStatus.RUNNING, "1")).isNull();
        assertThat(c.verdict(EvaluationStatus.QUEUED, null)).isNull();
        assertThat(c.verdict(EvaluationStatus.COMPLETED, null)).isEqualTo("wrong_answer");
    }

    @Test
    void modesAreNamedAsTheApiNamesThem() {
        assertThat(OutputComparison.Mode.parse(null)).isEqualTo(OutputComparison.Mode.TRIM);
        assertThat(OutputComparison.Mode.parse("Numeric")).isEqualTo(OutputComparison.Mode.NUMERIC);
        assertThatThrownBy(() -> OutputComparison.Mode.parse("fuzzy")).isInstanceOf(IllegalArgumentException.class);
        assertThat(OutputComparison.Mode.TOKENS.wire()).isEqualTo("tokens");
    }
}
