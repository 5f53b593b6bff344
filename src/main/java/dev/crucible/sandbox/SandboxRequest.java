package dev.crucible.sandbox;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.crucible.runtime.Language;

/**
 * Everything one run needs. The code and stdin travel as files in the container's {@code /code}
 * volume, never on a command line or through a shell.
 *
 * @param containerName unique, readable name ({@code python-eval-<id>}); a second container of
 *                      the same evaluation cannot exist beside it
 * @param labels put on the container; the orphan reaper finds containers by them
 */
public record SandboxRequest(
        String containerName,
        Language language,
        String code,
        String stdin,
        long memoryBytes,
        long nanoCpus,
        Duration timeout,
        Map<String, String> labels,
        List<String> args,
        Map<String, String> files) {

    public SandboxRequest(String containerName, Language language, String code, String stdin, long memoryBytes, long nanoCpus,
            Duration timeout, Map<String, String> labels) {
        this(containerName, language, code, stdin, memoryBytes, nanoCpus, timeout, labels, List.of(), Map.of());
    }

    public SandboxRequest {
        labels = Map.copyOf(labels);
        args = args == null ? List.of() : List.copyOf(args);
        files = files == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(files));
        stdin = stdin == null ? "" : stdin;
    }
}
