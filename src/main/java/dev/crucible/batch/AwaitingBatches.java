package dev.crucible.batch;

import dev.crucible.dispatch.WorkerIdentity;
import dev.crucible.evaluation.EvaluationService;
import dev.crucible.node.ServesUsers;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Finishes the batches that wait for their evaluations: one look at every such batch each
 * {@code crucible.batch.poll-interval}, on one scheduler thread, instead of a thread per batch.
 * A batch whose job stopped at the await step and whose evaluations have all ended gets its job
 * restarted there, and the job writes its report; a JSON batch (it has no job) is marked completed. The state it reads (batch status, job
 * execution, evaluation counts) is all in the database, so a restart of the platform loses nothing.
 * Only the batches this process owns ({@link BatchRecovery}): one process finishes each batch.
 */
@Component
@ServesUsers
class AwaitingBatches {

    private final BatchRepository batches;
    private final JobRepository jobRepository;
    private final EvaluationService evaluations;
    private final BatchService service;
    private final java.time.Clock clock;
    private final WorkerIdentity node;

    AwaitingBatches(BatchRepository batches, JobRepository jobRepository, EvaluationService evaluations, BatchService service,
            java.time.Clock clock, WorkerIdentity node) {
        this.clock = clock;
        this.node = node;
        this.batches = batches;
        this.jobRepository = jobRepository;
        this.evaluations = evaluations;
        this.service = service;
    }

    @Scheduled(fixedDelayString = "${crucible.batch.poll-interval:1s}")
    void finishThoseWhoseEvaluationsHaveEnded() {
        for (Batch batch : batches.withStatusOwnedBy(Batch.RUNNING, node.id())) {
            if (Batch.KIND_JSON.equals(batch.kind())) {
                // a JSON batch has no job: it is done when its evaluations are (and then retention may take it)
                if (AwaitEvaluations.unfinished(evaluations, batch.id()) == 0) {
                    batches.setStatus(batch.id(), Batch.COMPLETED, null, clock.instant());
                }
                continue;
            }
            if (batch.jobExecutionId() == null || AwaitEvaluations.unfinished(evaluations, batch.id()) > 0) {
                continue;
            }
            JobExecution execution = jobRepository.getJobExecution(batch.jobExecutionId());
            if (execution != null && !execution.isRunning() && BatchJobConfiguration.awaitsEvaluations(execution)) {
                service.finish(batch.id(), execution);
            }
        }
    }
}
