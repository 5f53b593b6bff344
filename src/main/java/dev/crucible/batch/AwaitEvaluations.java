package dev.crucible.batch;

import java.time.Duration;
import java.util.Map;

import dev.crucible.evaluation.EvaluationService;
import dev.crucible.evaluation.EvaluationStatus;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

/**
 * The second step: waits until every evaluation of the batch has ended (they run through the
 * dispatcher like single evaluations). It keeps no state of its own, so after a restart it simply
 * looks again.
 */
class AwaitEvaluations implements Tasklet {

    private final String batchId;
    private final EvaluationService evaluations;
    private final BatchRepository batches;
    private final Duration pollInterval;

    AwaitEvaluations(String batchId, EvaluationService evaluations, BatchRepository batches, Duration pollInterval) {
        this.batchId = batchId;
        this.evaluations = evaluations;
        this.batches = batches;
        this.pollInterval = pollInterval;
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext context) throws InterruptedException {
        Map<EvaluationStatus, Long> counts = evaluations.countByStatus(batchId);
        long unfinished = counts.get(EvaluationStatus.QUEUED) + counts.get(EvaluationStatus.RUNNING);
        boolean cancelled = batches.find(batchId).map(b -> Batch.CANCELLED.equals(b.status())).orElse(true);
        if (unfinished == 0 || cancelled) {
            return RepeatStatus.FINISHED;
        }
        Thread.sleep(pollInterval.toMillis());
        return RepeatStatus.CONTINUABLE;
    }
}
