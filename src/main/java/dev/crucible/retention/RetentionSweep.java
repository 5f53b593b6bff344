package dev.crucible.retention;

import java.time.Clock;
import java.time.Instant;

import dev.crucible.batch.BatchService;
import dev.crucible.evaluation.EvaluationService;
import dev.crucible.evaluation.RetentionProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Deletes history older than {@code crucible.retention.max-age} every
 * {@code crucible.retention.interval}: whole batches (evaluations, items, files, job records)
 * first, then single evaluations, {@value #CHUNK} rows per transaction so the queue is never
 * held. Queued and running work is never deleted, however old.
 */
@Component
public class RetentionSweep {

    private static final Logger log = LoggerFactory.getLogger(RetentionSweep.class);
    static final int CHUNK = 500;

    private final RetentionProperties properties;
    private final EvaluationService evaluations;
    private final BatchService batches;
    private final Clock clock;

    RetentionSweep(RetentionProperties properties, EvaluationService evaluations, BatchService batches, Clock clock) {
        this.properties = properties;
        this.evaluations = evaluations;
        this.batches = batches;
        this.clock = clock;
    }

    /** What one sweep deleted. */
    public record Swept(int batches, long evaluations) {
    }

    @Scheduled(initialDelayString = "${crucible.retention.interval:1h}", fixedDelayString = "${crucible.retention.interval:1h}")
    void scheduled() {
        try {
            sweep();
        } catch (RuntimeException e) {
            log.error("The retention sweep failed; it runs again in {}", properties.interval(), e);
        }
    }

    public Swept sweep() {
        Instant cutoff = properties.cutoff(clock.instant());
        if (cutoff == null) {
            return new Swept(0, 0);
        }
        int batchCount = batches.deleteEndedBefore(cutoff, CHUNK);
        long evaluationCount = 0;
        int deleted;
        do {
            deleted = evaluations.deleteEndedBefore(cutoff, CHUNK);
            evaluationCount += deleted;
        } while (deleted == CHUNK);
        if (batchCount > 0 || evaluationCount > 0) {
            log.info("Retention: deleted {} batches and {} other evaluations created before {} (kept for {})",
                    batchCount, evaluationCount, cutoff, properties.describe());
        }
        return new Swept(batchCount, evaluationCount);
    }
}
