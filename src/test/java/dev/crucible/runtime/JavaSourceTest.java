package dev.crucible.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which class java runs, and which name javac wants the file under, read from the source alone. */
class JavaSourceTest {

    @Test
    void thePublicClassNamesTheFileAndTheClassWithMainIsRun() {
        JavaSource source = JavaSource.of("""
                import java.util.*;
                class Helper { static int twice(int x) { return 2 * x; } }
                public class Solution {
                    public static void main(String[] args) { System.out.println(Helper.twice(21)); }
                }
                """);
        assertThat(source.fileClass()).isEqualTo("Solution");
        assertThat(source.mainClass()).isEqualTo("Solution");
    }

    @Test
    void mainInAnotherTopLevelClassOrANestedOneGetsItsBinaryName() {
        JavaSource other = JavaSource.of("""
                public class Api { }
                final class Runner { public static void main(String... a) { } }
                """);
        assertThat(other.fileClass()).isEqualTo("Api");
        assertThat(other.mainClass()).isEqualTo("Runner");

        JavaSource nested = JavaSource.of("""
                package contest.a;
                public class Outer {
                    static class Inner {
                        public static void main(String[] args) { }
                    }
                }
                """);
        assertThat(nested.fileClass()).isEqualTo("Outer");
        assertThat(nested.mainClass()).isEqualTo("contest.a.Outer$Inner");
    }

    @Test
    void commentsStringsAndTextBlocksDoNotCount() {
        JavaSource source = JavaSource.of("""
                // public class Fake { public static void main(String[] a) {} }
                /* class Other { static void main(String[] a) {} } */
                class Program {
                    static String s = "public class Quoted { static void main(String[] a) { } }";
                    static char brace = '{';
                    static String block = \"""
                        class Block { static void main(String[] a) { } }
                        \""";
                    public static void main(String[] args) { }
                }
                """);
        assertThat(source.fileClass()).isEqualTo("Program");
        assertThat(source.mainClass()).isEqualTo("Program");
    }

    @Test
    void withoutAnyClassTheDefaultIsMain() {
        assertThat(JavaSource.of("garbage {").fileClass()).isEqualTo("Main");
        assertThat(JavaSource.of("").mainClass()).isEqualTo("Main");
        assertThat(JavaSource.of("record Point(int x, int y) { public static void main(String[] a) { } }").mainClass())
                .isEqualTo("Point");
    }
}
