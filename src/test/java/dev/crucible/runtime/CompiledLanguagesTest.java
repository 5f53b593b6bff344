package dev.crucible.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import dev.crucible.support.Api;
import dev.crucible.support.RealPlatformTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/**
 * The compiled languages through the API, on their real images (deploy/runtimes/build.sh): each
 * compiles in a container of its own and runs from /build in another, a compile error ends the
 * evaluation as failed with the compiler's words, and programs of several files, arguments and
 * runtime errors behave as in the interpreted languages.
 */
class CompiledLanguagesTest extends RealPlatformTest {


    JsonNode run(Map<String, Object> submission) {
        return api.evaluate(submission);
    }

    record Program(String language, String hello, String broken, String compilerSays) {
    }

    static List<Program> programs() {
        return List.of(
                new Program("c", "#include <stdio.h>\nint main(void) { printf(\"hello from c\\n\"); return 0; }\n",
                        "int main(void) { return undefined_thing; }\n", "undefined_thing"),
                new Program("cpp", "#include <iostream>\nint main() { std::cout << \"hello from cpp\" << std::endl; }\n",
                        "#include <vector>\nint main() { std::vector<int> v = 3.0.x; }\n", "error"),
                new Program("java", "public class Hello {\n  public static void main(String[] args) {\n"
                        + "    System.out.println(\"hello from java\");\n  }\n}\n",
                        "public class Broken { public static void main(String[] a) { int x = \"s\"; } }\n",
                        "incompatible types"),
                new Program("go", "package main\nimport \"fmt\"\nfunc main() { fmt.Println(\"hello from go\") }\n",
                        "package main\nfunc main() { x := 1 }\n", "declared but not used"),
                new Program("rust", "fn main() { println!(\"hello from rust\"); }\n",
                        "fn main() { let x: i32 = \"s\"; }\n", "mismatched types"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("programs")
    void helloWorldCompilesInItsOwnContainerAndRuns(Program program) {
        JsonNode result = run(Map.of("language", program.language(), "code", program.hello()));
        assertThat(result.get("status").asString()).as(result.toString()).isEqualTo("completed");
        assertThat(result.get("stdout").asString()).isEqualTo("hello from " + program.language() + "\n");
        assertThat(result.get("exit_code").asInt()).isZero();
        assertThat(result.get("compile_exit_code").asInt()).isZero();
        assertThat(result.get("compile_time_ms").asLong()).isPositive();
        assertThat(result.get("compile_cpu_time_ms").isNumber()).isTrue();
        assertThat(result.get("compile_peak_memory_kb").asLong()).isPositive();
        assertThat(result.get("compile_timeout").asInt()).isEqualTo(30);
        assertThat(result.get("cpu_time_ms").isNumber()).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("programs")
    void aCompileErrorFailsTheEvaluationWithTheCompilersWords(Program program) {
        JsonNode result = run(Map.of("language", program.language(), "code", program.broken()));
        assertThat(result.get("status").asString()).as(result.toString()).isEqualTo("failed");
        assertThat(result.get("failure_reason").asString()).isEqualTo("compile_error");
        assertThat(result.get("compile_output").asString()).contains(program.compilerSays());
        assertThat(result.get("compile_exit_code").asInt()).isNotZero();
        // the program never ran
        assertThat(result.get("exit_code").isNull()).isTrue();
        assertThat(result.get("runtime_ms").isNull()).isTrue();
        // clients of the original API read error: the compiler's words are there too
        assertThat(result.get("error").asString()).startsWith("Compilation failed").contains(program.compilerSays());
    }

    @Test
    void aRuntimeErrorOfACompiledProgramIsANonZeroExit() {
        JsonNode result = run(Map.of("language", "c", "code",
                "#include <stdio.h>\nint main(void) { fprintf(stderr, \"bad input\\n\"); return 3; }\n"));
        assertThat(result.get("status").asString()).isEqualTo("failed");
        assertThat(result.get("failure_reason").asString()).isEqualTo("nonzero_exit");
        assertThat(result.get("exit_code").asInt()).isEqualTo(3);
        assertThat(result.get("stderr").asString()).isEqualTo("bad input\n");
        assertThat(result.get("compile_exit_code").asInt()).isZero();

        JsonNode crash = run(Map.of("language", "cpp", "code", "int main() { int *p = nullptr; return *p; }\n"));
        assertThat(crash.get("status").asString()).isEqualTo("failed");
        assertThat(crash.get("exit_code").asInt()).as("SIGSEGV, as a shell reports it").isEqualTo(139);
    }

    @Test
    void aJavaProgramOfTwoClassesRunsTheClassWithMain() {
        JsonNode result = run(Map.of("language", "java",
                "code", """
                        package app;

                        // class Decoy { public static void main(String[] a) {} } in a comment is not a class
                        public class Main {
                            public static void main(String[] args) {
                                System.out.println(new util.Greeter().greet(args[0]) + " " + "}{");
                            }
                        }
                        """,
                "files", List.of(Map.of("name", "util/Greeter.java", "content", """
                        package util;
                        public class Greeter {
                            public String greet(String who) { return "hello, " + who; }
                        }
                        """)),
                "args", List.of("two classes")));
        assertThat(result.get("status").asString()).as(result.toString()).isEqualTo("completed");
        assertThat(result.get("stdout").asString()).isEqualTo("hello, two classes }{\n");
    }

    @Test
    void aCProgramIncludesItsHeaderAndCompilesEverySourceFile() {
        JsonNode result = run(Map.of("language", "c",
                "code", "#include <stdio.h>\n#include \"lib/sum.h\"\nint main(void) { printf(\"%d\\n\", sum(40, 2)); }\n",
                "files", List.of(
                        Map.of("name", "lib/sum.h", "content", "int sum(int a, int b);\n"),
                        Map.of("name", "lib/sum.c", "content", "#include \"sum.h\"\nint sum(int a, int b) { return a + b; }\n"))));
        assertThat(result.get("status").asString()).as(result.toString()).isEqualTo("completed");
        assertThat(result.get("stdout").asString()).isEqualTo("42\n");
    }

    @Test
    void argumentsWithSpacesAndShellCharactersReachACompiledProgramIntact() {
        List<String> args = List.of("two words", "$(id)", "; rm -rf /", "'quoted'", "*", "");
        JsonNode result = run(Map.of("language", "go",
                "code", "package main\nimport (\"fmt\"; \"os\")\n"
                        + "func main() { for _, a := range os.Args[1:] { fmt.Printf(\"[%s]\\n\", a) } }\n",
                "args", args));
        assertThat(result.get("status").asString()).as(result.toString()).isEqualTo("completed");
        assertThat(result.get("stdout").asString()).isEqualTo("[two words]\n[$(id)]\n[; rm -rf /]\n['quoted']\n[*]\n[]\n");
    }

    @Test
    void theCompiledProgramCannotChangeItselfAndTmpStaysNoexec() {
        // /build is read-only for the program; /tmp is writable but nothing there may be executed
        JsonNode result = run(Map.of("language", "c", "code", """
                #include <stdio.h>
                #include <unistd.h>
                #include <errno.h>
                #include <string.h>
                #include <sys/stat.h>
                int main(void) {
                    FILE *self = fopen("/build/main", "w");
                    printf("write self: %s\\n", self ? "yes" : strerror(errno));
                    FILE *copy = fopen("/tmp/x", "w");
                    fputs("#!/bin/sh\\necho ran\\n", copy);
                    fclose(copy);
                    chmod("/tmp/x", 0755);
                    char *argv[] = {"/tmp/x", NULL};
                    execv("/tmp/x", argv);
                    printf("exec tmp: %s\\n", strerror(errno));
                    return 0;
                }
                """));
        assertThat(result.get("status").asString()).as(result.toString()).isEqualTo("completed");
        assertThat(result.get("stdout").asString()).contains("write self: Permission denied")
                .contains("exec tmp: Permission denied");
    }

    @Test
    void aCompileThatTakesTooLongIsStoppedAtItsOwnLimit() {
        // 2^18 statements made by the preprocessor keep gcc -O2 busy for well over five seconds here
        StringBuilder slow = new StringBuilder("#define A0 x += x * 3 + 1;\n");
        for (int i = 1; i <= 18; i++) {
            slow.append("#define A").append(i).append(" A").append(i - 1).append(" A").append(i - 1).append('\n');
        }
        slow.append("int main(void) { volatile int x = 0; A18 return x; }\n");
        JsonNode result = run(Map.of("language", "c", "code", slow.toString(), "compile_timeout", 1));
        assertThat(result.get("status").asString()).as(result.toString()).isEqualTo("failed");
        assertThat(result.get("failure_reason").asString()).isEqualTo("compile_timeout");
        assertThat(result.get("error").asString()).contains("Compilation timed out after 1 s");
        assertThat(result.get("compile_timeout").asInt()).isEqualTo(1);
    }

    @Test
    void compileTimeoutIsBoundedAndOnlyKeptForCompiledLanguages() {
        Api.Response tooLong = api.post("/api/eval", "{\"language\": \"c\", \"code\": \"int main(){}\", \"compile_timeout\": 121}");
        assertThat(tooLong.status()).isEqualTo(422);
        assertThat(tooLong.toString()).contains("compile_timeout");

        JsonNode python = run(Map.of("code", "print(1)", "compile_timeout", 5));
        assertThat(python.get("compile_timeout").isNull()).isTrue();
        assertThat(python.get("compile_output").isNull()).isTrue();
    }

    @Test
    void theLanguagesListSaysWhichCompile() {
        JsonNode languages = api.get("/api/languages").json().get("languages");
        Map<String, Boolean> compiles = new java.util.TreeMap<>();
        languages.forEach(l -> compiles.put(l.get("name").asString(), l.get("compiles").asBoolean()));
        assertThat(compiles).containsEntry("c", true).containsEntry("cpp", true).containsEntry("java", true)
                .containsEntry("go", true).containsEntry("rust", true).containsEntry("python", false)
                .containsEntry("python-science", false);
    }
}
