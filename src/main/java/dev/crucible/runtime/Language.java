package dev.crucible.runtime;

import java.util.List;

/**
 * One entry of the languages table: the image evaluations of this language run in, the file the
 * program is written to (in {@code /code}, the container's working directory) and the command
 * that runs it. The command is an argument vector, never a shell line.
 */
public record Language(String name, String image, String fileName, List<String> command, List<String> aliases,
        List<String> extensions, String version) {

    public Language {
        command = List.copyOf(command);
        aliases = aliases == null ? List.of() : List.copyOf(aliases);
        extensions = extensions == null ? List.of() : List.copyOf(extensions);
    }

    public Language(String name, String image, String fileName, List<String> command, List<String> aliases) {
        this(name, image, fileName, command, aliases, List.of(), null);
    }

    /** Whether programs of this language are compiled before they run (none of today's are). */
    public boolean compiles() {
        return false;
    }
}
