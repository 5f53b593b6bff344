package dev.crucible.batch;

import java.util.Map;

import dev.crucible.evaluation.EvaluationService;
import dev.crucible.evaluation.EvaluationStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

/**
 * The second step: looks once whether every evaluation of the batch has ended (they run through
 * the dispatcher like single evaluations). When some have not, it ends with {@link #AWAITING} and
 * the job stops without holding a thread; {@link AwaitingBatches} starts it again once they have,
 * and it resumes at this step. It keeps no state of its own, so after a crash it simply looks again.
 */
class AwaitEvaluations implements Tasklet {

    /** The exit code of this step while evaluations are still queued or running. */
    static final String AWAITING = "AWAITING_EVALUATIONS";

    private final String batchId;
    private final EvaluationService evaluations;
    private final BatchRepository batches;

    AwaitEvaluations(String batchId, EvaluationService evaluations, BatchRepository batches) {
        this.batchId = batchId;
        this.evaluations = evaluations;
        this.batches = batches;
    }

    static long unfinished(EvaluationService evaluations, String batchId) {
        Map<EvaluationStatus, Long> counts = evaluations.countByStatus(batchId);
        return counts.get(EvaluationStatus.QUEUED) + counts.get(EvaluationStatus.RUNNING);
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext context) {
        boolean cancelled = batches.find(batchId).map(b -> Batch.CANCELLED.equals(b.status())).orElse(true);
        if (!cancelled && unfinished(evaluations, batchId) > 0) {
            contribution.setExitStatus(new ExitStatus(AWAITING, "evaluations are still queued or running"));
        }
        return RepeatStatus.FINISHED;
    }
}
