package dev.crucible.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.crucible.support.Api;
import dev.crucible.support.RealPlatformTest;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Test cases (issue 10, item 5) on real containers: one container, the program compiled once and
 * run once per case, each case within the evaluation's time limit and judged on its own, a case
 * that crashes or times out leaving the others as they are.
 */
class TestCasesTest extends RealPlatformTest {

    static Map<String, Object> testCase(String name, String stdin, String expected, String... args) {
        Map<String, Object> c = new java.util.LinkedHashMap<>();
        c.put("name", name);
        c.put("stdin", stdin);
        if (expected != null) {
            c.put("expected_output", expected);
        }
        c.put("args", List.of(args));
        return c;
    }

    static Map<String, JsonNode> byName(JsonNode result) {
        Map<String, JsonNode> cases = new java.util.LinkedHashMap<>();
        result.get("test_results").forEach(r -> cases.put(r.get("name").asString(), r));
        return cases;
    }

    @Test
    void passedWrongAnswerTimeoutAndCrashAreEachJudgedAndTheOthersUnaffected() {
        JsonNode result = api.evaluate(Map.of("timeout", 2, "code", """
                import sys, time, os
                mode = sys.argv[1] if len(sys.argv) > 1 else ""
                if mode == "sleep":
                    os.system("sleep 60 &")
                    time.sleep(60)
                if mode == "crash":
                    print("about to crash", flush=True)
                    os.kill(os.getpid(), 11)
                if mode == "fail":
                    sys.exit("bad input")
                print(sum(int(x) for x in sys.stdin.read().split()))
                """, "test_cases", List.of(
                        testCase("adds", "1 2 3", "6"),
                        testCase("wrong", "2 2", "5"),
                        testCase("slow", "", "0", "sleep"),
                        testCase("crash", "", "0", "crash"),
                        testCase("exit", "", "0", "fail"),
                        testCase("after all that", "40 2", "42\n"))));
        assertThat(result.get("status").asString()).as(result.toString()).isEqualTo("completed");
        assertThat(result.get("verdict").asString()).isEqualTo("error");
        assertThat(result.get("tests_passed").asInt()).isEqualTo(2);
        assertThat(result.get("tests_total").asInt()).isEqualTo(6);
        Map<String, JsonNode> cases = byName(result);
        assertThat(cases.keySet()).containsExactly("adds", "wrong", "slow", "crash", "exit", "after all that");

        assertThat(cases.get("adds").get("verdict").asString()).isEqualTo("passed");
        assertThat(cases.get("adds").get("stdout").asString()).isEqualTo("6\n");
        assertThat(cases.get("adds").get("exit_code").asInt()).isZero();
        assertThat(cases.get("adds").get("failure_reason").isNull()).isTrue();
        assertThat(cases.get("adds").get("runtime_ms").asLong()).isBetween(0L, 2000L);
        assertThat(cases.get("adds").get("peak_memory_kb").asLong()).isPositive();

        assertThat(cases.get("wrong").get("verdict").asString()).isEqualTo("wrong_answer");
        assertThat(cases.get("wrong").get("stdout").asString()).isEqualTo("4\n");

        JsonNode slow = cases.get("slow");
        assertThat(slow.get("verdict").asString()).isEqualTo("error");
        assertThat(slow.get("failure_reason").asString()).isEqualTo("timeout");
        assertThat(slow.get("runtime_ms").asLong()).as("stopped at its own limit").isBetween(1900L, 4000L);

        JsonNode crash = cases.get("crash");
        assertThat(crash.get("failure_reason").asString()).isEqualTo("nonzero_exit");
        assertThat(crash.get("exit_code").asInt()).as("SIGSEGV").isEqualTo(139);
        assertThat(crash.get("stdout").asString()).isEqualTo("about to crash\n");

        assertThat(cases.get("exit").get("stderr").asString()).isEqualTo("bad input\n");
        assertThat(cases.get("exit").get("exit_code").asInt()).isEqualTo(1);

        // the background sleep of "slow" did not live on into the next cases, and they ran normally
        assertThat(cases.get("after all that").get("verdict").asString()).isEqualTo("passed");
        // the original API's clients find the summary in output
        assertThat(result.get("output").asString()).contains("adds: passed").contains("slow: error (timeout)")
                .endsWith("2 of 6 test cases passed\n");
    }

    @Test
    void aCompiledProgramIsCompiledOnceAndRunPerCase() {
        List<Map<String, Object>> cases = new ArrayList<>();
        for (int i = 1; i <= 20; i++) {
            cases.add(testCase("square of " + i, Integer.toString(i), Integer.toString(i * i)));
        }
        JsonNode result = api.evaluate(Map.of("language", "c", "code", """
                #include <stdio.h>
                int main(void) { long n; if (scanf("%ld", &n) != 1) return 2; printf("%ld\\n", n * n); return 0; }
                """, "test_cases", cases));
        assertThat(result.get("status").asString()).as(result.toString()).isEqualTo("completed");
        assertThat(result.get("verdict").asString()).isEqualTo("passed");
        assertThat(result.get("tests_passed").asInt()).isEqualTo(20);
        assertThat(result.get("compile_exit_code").asInt()).isZero();
    }

    @Test
    void compareModesAndToleranceApplyToEveryCase() {
        JsonNode numeric = api.evaluate(Map.of("code", "print(float(input()) / 3)", "compare_mode", "numeric",
                "tolerance", 1e-3, "test_cases", List.of(
                        testCase("within", "1", "0.3333"),
                        testCase("outside", "1", "0.34"))));
        Map<String, JsonNode> cases = byName(numeric);
        assertThat(cases.get("within").get("verdict").asString()).isEqualTo("passed");
        assertThat(cases.get("outside").get("verdict").asString()).isEqualTo("wrong_answer");
        assertThat(numeric.get("verdict").asString()).isEqualTo("wrong_answer");

        JsonNode tokens = api.evaluate(Map.of("code", "print('a   b\\tc')", "compare_mode", "tokens",
                "test_cases", List.of(testCase("spaces", "", "a b c"))));
        assertThat(tokens.get("verdict").asString()).isEqualTo("passed");
        JsonNode exact = api.evaluate(Map.of("code", "print('a ')", "compare_mode", "exact",
                "test_cases", List.of(testCase("trailing", "", "a"), testCase("same", "", "a \n"))));
        assertThat(byName(exact).get("trailing").get("verdict").asString()).isEqualTo("wrong_answer");
        assertThat(byName(exact).get("same").get("verdict").asString()).isEqualTo("passed");
    }

    @Test
    void eachCaseHasTheEvaluationsMemoryAndAnOutputFloodIsCutForThatCaseOnly() {
        JsonNode result = api.evaluate(Map.of("memory_limit", "64Mi", "code", """
                import sys
                if sys.argv[1] == "hog":
                    hog = bytearray(200 * 1024 * 1024)
                elif sys.argv[1] == "flood":
                    while True:
                        sys.stdout.write("x" * 65536)
                print("ok")
                """, "test_cases", List.of(
                        testCase("hog", "", "ok", "hog"),
                        testCase("flood", "", "ok", "flood"),
                        testCase("fine", "", "ok", "fine"))));
        Map<String, JsonNode> cases = byName(result);
        assertThat(cases.get("hog").get("failure_reason").asString()).as(result.toString()).isEqualTo("memory_limit");
        assertThat(cases.get("hog").get("exit_code").asInt()).as("SIGKILL from the out-of-memory killer").isEqualTo(137);
        assertThat(cases.get("flood").get("failure_reason").asString()).isEqualTo("output_limit");
        assertThat(cases.get("flood").get("output_truncated").asBoolean()).isTrue();
        assertThat(cases.get("flood").get("stdout").asString().length()).isLessThanOrEqualTo(1024 * 1024);
        assertThat(cases.get("fine").get("verdict").asString()).isEqualTo("passed");
    }

    @Test
    void badTestCasesAreRefusedNamingTheField() {
        Api.Response notAList = api.post("/api/eval", "{\"code\": \"print(1)\", \"test_cases\": {\"stdin\": \"1\"}}");
        assertThat(notAList.status()).isEqualTo(422);
        assertThat(notAList.toString()).contains("test_cases");
        Api.Response badArgs = api.post("/api/eval", "{\"code\": \"print(1)\", \"test_cases\": [{\"args\": [1]}]}");
        assertThat(badArgs.status()).isEqualTo(422);
        assertThat(badArgs.toString()).contains("test_cases[0]");
        StringBuilder many = new StringBuilder("{\"code\": \"print(1)\", \"test_cases\": [");
        for (int i = 0; i < 101; i++) {
            many.append(i == 0 ? "" : ",").append("{\"stdin\": \"").append(i).append("\"}");
        }
        Api.Response tooMany = api.post("/api/eval", many + "]}");
        assertThat(tooMany.status()).isEqualTo(422);
        assertThat(tooMany.toString()).contains("Between 1 and 100 test cases");
        Api.Response both = api.post("/api/eval", "{\"code\": \"print(1)\", \"expected_output\": \"1\", \"test_cases\": [{}]}");
        assertThat(both.status()).isEqualTo(422);
        assertThat(both.toString()).contains("give expected_output in each case");

        // a case without a name is named by its place
        JsonNode unnamed = api.evaluate(Map.of("code", "print(1)", "test_cases", List.of(Map.of(), Map.of("stdin", "x"))));
        assertThat(byName(unnamed).keySet()).containsExactly("case 1", "case 2");
        assertThat(unnamed.get("verdict").asString()).as("no expected output: passed when it completes").isEqualTo("passed");
    }
}
