package dev.crucible.batch;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

import dev.crucible.dispatch.DispatchProperties;
import dev.crucible.dispatch.WorkerIdentity;
import dev.crucible.evaluation.QueueDatabase;
import dev.crucible.node.ServesUsers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * A batch belongs to the api process that runs its job; this keeps that promise in both
 * directions. The owner proves itself alive for its batches every
 * {@code crucible.dispatch.heartbeat-interval}. A batch whose owner has been silent for
 * {@code crucible.dispatch.dead-after} is taken over by one live api process (a conditional
 * update decides which): a job execution of it still marked running is marked failed (Spring
 * Batch's recover), the batch is stopped and, unless {@code crucible.batch.auto-resume} is off,
 * restarted here, continuing after its last committed chunk; a batch waiting for its evaluations
 * is simply finished here ({@link AwaitingBatches}). Never a live process's batch. On a database
 * of this process alone (the embedded default) every batch left running at start-up was left by a
 * dead process, so start-up takes them all at once.
 */
@Component
@ServesUsers
class BatchRecovery {

    private static final Logger log = LoggerFactory.getLogger(BatchRecovery.class);
    private static final String SILENT = "the silence of the process that ran its job";

    private final JobRepository jobRepository;
    private final JobOperator jobOperator;
    private final BatchRepository batches;
    private final BatchService service;
    private final BatchProperties properties;
    private final DispatchProperties dispatch;
    private final QueueDatabase database;
    private final WorkerIdentity node;
    private final Clock clock;

    BatchRecovery(JobRepository jobRepository, JobOperator jobOperator, BatchRepository batches, BatchService service,
            BatchProperties properties, DispatchProperties dispatch, QueueDatabase database, WorkerIdentity node, Clock clock) {
        this.jobRepository = jobRepository;
        this.jobOperator = jobOperator;
        this.batches = batches;
        this.service = service;
        this.properties = properties;
        this.dispatch = dispatch;
        this.database = database;
        this.node = node;
        this.clock = clock;
    }

    @EventListener(ApplicationReadyEvent.class)
    void recoverAtStartup() {
        Instant now = clock.instant();
        if (database.exclusive()) {
            // on a database of this process alone every other owner is gone: all heartbeats are past
            recover(now.plus(java.time.Duration.ofDays(1)), "a restart of the platform");
        } else {
            recover(now.minus(dispatch.deadAfter()), SILENT);
        }
    }

    @Scheduled(fixedDelayString = "${crucible.dispatch.heartbeat-interval:5s}")
    void heartbeatAndTakeOverSilentOwners() {
        Instant now = clock.instant();
        batches.heartbeat(node.id(), now, now.minus(dispatch.deadAfter().multipliedBy(10)));
        recover(now.minus(dispatch.deadAfter()), SILENT);
    }

    /**
     * Takes over the batches whose owner has been silent since before {@code silentBefore};
     * {@code cause} says why they stopped, in the log and in the batch's error.
     */
    synchronized void recover(Instant silentBefore, String cause) {
        Instant now = clock.instant();
        for (JobExecution interrupted : jobRepository.findRunningJobExecutions(BatchJobConfiguration.JOB)) {
            String batchId = interrupted.getJobParameters().getString(BatchJobConfiguration.BATCH_ID);
            if (batchId == null || !batches.takeOver(batchId, node.id(), now, silentBefore)) {
                continue; // this process's own job, or a live process's
            }
            JobExecution failed = jobOperator.recover(interrupted);
            boolean stopped = batches.setStatus(batchId, Batch.STOPPED, "interrupted by " + cause, null);
            log.warn("Batch {} was interrupted by {} (job execution {}); it is taken over by {}", batchId, cause,
                    interrupted.getId(), node.id());
            if (stopped && properties.autoResume()) {
                try {
                    service.restart(batchId, failed);
                } catch (RuntimeException e) {
                    log.error("Batch {} could not be resumed: {}", batchId, e.getMessage());
                }
            }
        }
        List<String> waiting = batches.takeOverSilent(node.id(), now, silentBefore);
        if (!waiting.isEmpty()) {
            log.warn("Took over {} batches waiting for their evaluations, whose process went silent: {}", waiting.size(),
                    waiting);
        }
    }
}
