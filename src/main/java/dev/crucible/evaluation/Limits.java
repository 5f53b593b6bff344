package dev.crucible.evaluation;

import java.math.BigDecimal;
import java.time.Duration;

/** The resources one evaluation may use. */
public record Limits(int timeoutSeconds, long memoryBytes, long nanoCpus) {

    private static final long KI = 1024;
    private static final long MI = KI * 1024;
    private static final long GI = MI * 1024;

    public Duration timeout() {
        return Duration.ofSeconds(timeoutSeconds);
    }

    /** Memory as a Kubernetes quantity ("100Mi", "1Gi"), the form the API takes it in. */
    public String memoryQuantity() {
        return formatMemory(memoryBytes);
    }

    /** CPUs as a Kubernetes quantity ("1", "500m"). */
    public String cpuQuantity() {
        return formatCpus(nanoCpus);
    }

    public static String formatMemory(long bytes) {
        if (bytes % GI == 0) {
            return bytes / GI + "Gi";
        }
        if (bytes % MI == 0) {
            return bytes / MI + "Mi";
        }
        if (bytes % KI == 0) {
            return bytes / KI + "Ki";
        }
        return Long.toString(bytes);
    }

    public static String formatCpus(long nanoCpus) {
        if (nanoCpus % 1_000_000_000L == 0) {
            return Long.toString(nanoCpus / 1_000_000_000L);
        }
        if (nanoCpus % 1_000_000L == 0) {
            return nanoCpus / 1_000_000L + "m";
        }
        return BigDecimal.valueOf(nanoCpus, 9).stripTrailingZeros().toPlainString();
    }
}
