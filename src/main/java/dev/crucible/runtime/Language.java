package dev.crucible.runtime;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * One entry of the languages table: the image evaluations of this language run in, the file the
 * program is written to (in {@code /code}, the container's working directory), the command that
 * compiles it (none for interpreted languages) and the command that runs it. Commands are argument
 * vectors, never shell lines. They may hold three placeholders, each filled by the platform and
 * standing for exactly one argument or a list of them:
 * <ul>
 * <li>{@code {sources}} (compile): the program's file and every file beside it with one of the
 * language's extensions, each as its own argument;</li>
 * <li>{@code {class}} (file name): the program's public class, as javac requires ({@link JavaSource});</li>
 * <li>{@code {main-class}} (run): the class that declares {@code main}.</li>
 * </ul>
 * The compiler writes into {@link #BUILD_DIR}; the run container holds what it wrote there, read-only.
 * {@code runtime} is the OCI runtime its containers run under (null: the installation's,
 * {@code crucible.sandbox.runtime}).
 */
public record Language(String name, String image, String fileName, List<String> command, List<String> aliases,
        List<String> extensions, String version, List<String> compile, String runtime) {

    /** Where a compiler writes and where the compiled program then runs from. */
    public static final String BUILD_DIR = "/build";
    static final String SOURCES = "{sources}";
    static final String CLASS = "{class}";
    static final String MAIN_CLASS = "{main-class}";

    public Language {
        command = List.copyOf(command);
        aliases = aliases == null ? List.of() : List.copyOf(aliases);
        extensions = extensions == null ? List.of() : List.copyOf(extensions);
        compile = compile == null ? List.of() : List.copyOf(compile);
    }

    public Language(String name, String image, String fileName, List<String> command, List<String> aliases) {
        this(name, image, fileName, command, aliases, List.of(), null, List.of(), null);
    }

    public Language(String name, String image, String fileName, List<String> command, List<String> aliases,
            List<String> extensions, String version, List<String> compile) {
        this(name, image, fileName, command, aliases, extensions, version, compile, null);
    }

    /** This language with its containers under the OCI runtime {@code name} (runc, runsc). */
    public Language onRuntime(String name) {
        return new Language(this.name, image, fileName, command, aliases, extensions, version, compile, name);
    }

    /** Whether programs of this language are compiled (in a container of their own) before they run. */
    public boolean compiles() {
        return !compile.isEmpty();
    }

    /** The name the program's code is written to: the configured one, with Java's class filled in. */
    public String fileNameFor(String code) {
        if (!fileName.contains(CLASS)) {
            return fileName;
        }
        return fileName.replace(CLASS, JavaSource.of(code).fileClass());
    }

    /**
     * The compile command for a program whose code is in {@code programFile} with {@code otherFiles}
     * beside it (paths relative to {@code /code}).
     */
    public List<String> compileCommand(String programFile, Collection<String> otherFiles) {
        List<String> sources = new ArrayList<>();
        sources.add(programFile);
        otherFiles.stream().filter(this::isSource).sorted().forEach(sources::add);
        List<String> vector = new ArrayList<>();
        for (String part : compile) {
            if (part.equals(SOURCES)) {
                vector.addAll(sources);
            } else {
                vector.add(part);
            }
        }
        return vector;
    }

    /** The run command of this program, followed by its arguments. */
    public List<String> runCommand(String code, List<String> args) {
        List<String> vector = new ArrayList<>();
        for (String part : command) {
            vector.add(part.equals(MAIN_CLASS) ? JavaSource.of(code).mainClass() : part);
        }
        vector.addAll(args);
        return vector;
    }

    private boolean isSource(String path) {
        int dot = path.lastIndexOf('.');
        return dot > path.lastIndexOf('/') && extensions.contains(path.substring(dot + 1).toLowerCase(Locale.ROOT));
    }
}
