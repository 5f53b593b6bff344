package dev.crucible.evaluation;

/**
 * An evaluation as someone asked for it, before validation. Null fields take the defaults.
 * The REST API, the web form and batch uploads all submit through this one shape.
 */
public record Submission(
        String code,
        String language,
        Integer timeoutSeconds,
        String memoryLimit,
        String cpuLimit,
        String stdin,
        Integer priority,
        String batchId) {

    public static Submission of(String code, String language) {
        return new Submission(code, language, null, null, null, null, null, null);
    }
}
