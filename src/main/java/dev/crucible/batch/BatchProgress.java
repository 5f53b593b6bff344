package dev.crucible.batch;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import dev.crucible.evaluation.EvaluationService;
import dev.crucible.evaluation.EvaluationStatus;
import org.springframework.stereotype.Component;

/** Where a batch stands: counts by status, its times, and an estimate of the time left. */
@Component
class BatchProgress {

    /** The progress of one batch, in the shape of {@code GET /api/batches/{id}}. */
    @io.swagger.v3.oas.annotations.media.Schema(name = "BatchProgress")
    record View(String batchId, String name, String kind, String status, int total, int ingested, long queued, long running,
            long completed, long failed, long timeout, long cancelled, int skipped, String startedAt, String finishedAt,
            Long etaSeconds, String error, String callbackUrl, dev.crucible.evaluation.Callback.View callback) {

        public long ended() {
            return completed + failed + timeout + cancelled;
        }

        /** Whole percent of the programs that have ended. */
        public int percent() {
            return total == 0 ? 100 : (int) (100 * ended() / total);
        }

        public boolean active() {
            return Batch.RUNNING.equals(status);
        }
    }

    private final BatchRepository batches;
    private final EvaluationService evaluations;
    private final Clock clock;

    BatchProgress(BatchRepository batches, EvaluationService evaluations, Clock clock) {
        this.batches = batches;
        this.evaluations = evaluations;
        this.clock = clock;
    }

    View of(String batchId) {
        return of(batches.find(batchId).orElseThrow(() -> new BatchNotFoundException(batchId)));
    }

    View of(Batch b) {
        Map<EvaluationStatus, Long> counts = evaluations.countByStatus(b.id());
        long ingested = counts.values().stream().mapToLong(Long::longValue).sum();
        long notYetIngested = Math.max(0, b.total() - ingested);
        long queued = counts.get(EvaluationStatus.QUEUED) + (Batch.CANCELLED.equals(b.status()) ? 0 : notYetIngested);
        long running = counts.get(EvaluationStatus.RUNNING);
        long ended = ingested - counts.get(EvaluationStatus.QUEUED) - running;
        String status = b.status();
        if (Batch.KIND_JSON.equals(b.kind()) && Batch.RUNNING.equals(status) && queued + running == 0) {
            status = Batch.COMPLETED; // a JSON batch has no job: it is done when its evaluations are
        }
        Long eta = null;
        if (Batch.RUNNING.equals(status) && ended > 0) {
            Duration elapsed = Duration.between(b.createdAt(), clock.instant());
            double perEvaluation = (double) elapsed.toMillis() / ended;
            eta = Math.round(perEvaluation * (queued + running) / 1000.0);
        }
        Instant finished = b.finishedAt();
        return new View(b.id(), b.name(), b.kind(), status, b.total(), (int) ingested, queued, running,
                counts.get(EvaluationStatus.COMPLETED), counts.get(EvaluationStatus.FAILED),
                counts.get(EvaluationStatus.TIMEOUT), counts.get(EvaluationStatus.CANCELLED), b.skipped(),
                b.createdAt().toString(), finished == null ? null : finished.toString(), eta, b.error(),
                b.callback() == null ? null : b.callback().url(), dev.crucible.evaluation.Callback.View.of(b.callback()));
    }
}
