package dev.crucible.sandbox;

import dev.crucible.runtime.Language;

/**
 * What a pooled container is made for: a language (its image and its runtime, when it has one of
 * its own) and the limits the daemon sets at creation (memory and CPU). A run takes a container of exactly its shape; everything else (code,
 * files, stdin, arguments, test cases, the time limit) arrives with the program.
 */
public record PoolShape(Language language, long memoryBytes, long nanoCpus) {

    /** The shape of {@code request}'s container. */
    static PoolShape of(SandboxRequest request) {
        return new PoolShape(request.language(), request.memoryBytes(), request.nanoCpus());
    }

    /** Readable in logs, health and labels: {@code python/256m/1.0}, and {@code /runsc} under a runtime of its own. */
    public String key() {
        return language.name() + "/" + memoryBytes / (1024 * 1024) + "m/" + nanoCpus / 1_000_000_000.0
                + (language.runtime() != null ? "/" + language.runtime() : "");
    }
}
