package dev.crucible.batch;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * After a crash, the job executions of batches are still marked running in the job repository
 * though nothing runs them. At start-up they are marked failed (Spring Batch's recover), their
 * batches stopped, and, unless {@code crucible.batch.auto-resume} is off, restarted: each
 * continues after its last committed chunk, or waits again for its evaluations, or writes its
 * report. The embedded database is this process's alone, so every running execution found at
 * start-up was left by a dead process.
 */
@Component
class BatchRecovery {

    private static final Logger log = LoggerFactory.getLogger(BatchRecovery.class);

    private final JobRepository jobRepository;
    private final JobOperator jobOperator;
    private final BatchRepository batches;
    private final BatchService service;
    private final BatchProperties properties;

    BatchRecovery(JobRepository jobRepository, JobOperator jobOperator, BatchRepository batches, BatchService service,
            BatchProperties properties) {
        this.jobRepository = jobRepository;
        this.jobOperator = jobOperator;
        this.batches = batches;
        this.service = service;
        this.properties = properties;
    }

    @EventListener(ApplicationReadyEvent.class)
    void recoverInterruptedBatches() {
        for (JobExecution interrupted : jobRepository.findRunningJobExecutions(BatchJobConfiguration.JOB)) {
            String batchId = interrupted.getJobParameters().getString(BatchJobConfiguration.BATCH_ID);
            JobExecution failed = jobOperator.recover(interrupted);
            boolean stopped = batches.setStatus(batchId, Batch.STOPPED, "interrupted by a restart of the platform", null);
            log.warn("Batch {} was interrupted by a restart of the platform (job execution {})", batchId, interrupted.getId());
            if (stopped && properties.autoResume()) {
                try {
                    service.restart(batchId, failed);
                } catch (RuntimeException e) {
                    log.error("Batch {} could not be resumed: {}", batchId, e.getMessage());
                }
            }
        }
    }
}
