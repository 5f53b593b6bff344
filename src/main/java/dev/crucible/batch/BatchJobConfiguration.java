package dev.crucible.batch;

import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import dev.crucible.evaluation.EvaluationService;
import dev.crucible.storage.StorageDirectory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.listener.ChunkListener;
import org.springframework.batch.core.listener.JobExecutionListener;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.batch.autoconfigure.BatchTaskExecutor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.task.TaskExecutor;
import org.springframework.core.task.support.TaskExecutorAdapter;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * The batch job, one instance per upload: ingest (the archive's programs become evaluations,
 * chunk by chunk, restartable after the last committed chunk), await (has every evaluation
 * ended?), report (results.csv and summary.json in the batch's folder). While evaluations remain,
 * await stops the job, which then holds no thread: {@link AwaitingBatches} restarts it at await
 * once they have all ended. Batch status stays running meanwhile.
 */
@Configuration(proxyBeanMethods = false)
class BatchJobConfiguration {

    static final String JOB = "crucibleBatch";
    static final String BATCH_ID = "batchId";
    static final String AWAIT_STEP = "await";
    private static final Logger log = LoggerFactory.getLogger(BatchJobConfiguration.class);

    /**
     * Jobs run on their own threads, at most {@code crucible.batch.job-concurrency} at once; more
     * wait in line, so neither an upload nor the start-up's resuming ever waits for a job to end.
     * Daemon threads, never interrupted: a job cut off by the end of the process is resumed at the
     * next start like one cut off by a crash.
     */
    @Bean
    @BatchTaskExecutor
    TaskExecutor batchTaskExecutor(BatchProperties properties) {
        CustomizableThreadFactory threads = new CustomizableThreadFactory("batch-job-");
        threads.setDaemon(true);
        ThreadPoolExecutor pool = new ThreadPoolExecutor(properties.jobConcurrency(), properties.jobConcurrency(), 60,
                TimeUnit.SECONDS, new LinkedBlockingQueue<>(), threads);
        pool.allowCoreThreadTimeOut(true);
        return new TaskExecutorAdapter(pool);
    }

    @Bean
    Job crucibleBatchJob(JobRepository jobs, Step ingestStep, Step awaitStep, Step reportStep, BatchRepository batches,
            Clock clock) {
        return new JobBuilder(JOB, jobs)
                .listener(new JobExecutionListener() {
                    @Override
                    public void afterJob(JobExecution execution) {
                        String batchId = execution.getJobParameters().getString(BATCH_ID);
                        if (execution.getStatus() == BatchStatus.COMPLETED) {
                            batches.setStatus(batchId, Batch.COMPLETED, null, clock.instant());
                            log.info("Batch {} completed", batchId);
                        } else if (awaitsEvaluations(execution)) {
                            log.debug("Batch {} waits for its evaluations", batchId);
                        } else {
                            String why = execution.getAllFailureExceptions().stream().map(Throwable::getMessage)
                                    .findFirst().orElse("the job ended as " + execution.getStatus());
                            if (batches.setStatus(batchId, Batch.STOPPED, why, null)) {
                                log.warn("Batch {} stopped: {}", batchId, why);
                            } else {
                                log.info("The job of cancelled batch {} has ended", batchId);
                            }
                        }
                    }
                })
                .start(ingestStep).next(awaitStep)
                .on(AwaitEvaluations.AWAITING).stopAndRestart(awaitStep)
                .from(awaitStep).on(ExitStatus.COMPLETED.getExitCode()).to(reportStep)
                .from(awaitStep).on("*").fail()
                .end()
                .build();
    }

    /** Whether the job stopped at await because evaluations were still queued or running. */
    static boolean awaitsEvaluations(JobExecution execution) {
        return execution.getStatus() == BatchStatus.STOPPED && execution.getStepExecutions().stream()
                .anyMatch(step -> AWAIT_STEP.equals(step.getStepName())
                        && AwaitEvaluations.AWAITING.equals(step.getExitStatus().getExitCode()));
    }

    @Bean
    Step ingestStep(JobRepository jobs, PlatformTransactionManager transactions, ProgramReader programReader,
            ProgramWriter programWriter, BatchProperties properties) {
        return new StepBuilder("ingest", jobs)
                .<Program, Program>chunk(properties.chunkSize())
                .reader(programReader)
                .writer(programWriter)
                .transactionManager(transactions)
                .listener(new ChunkListener<Program, Program>() {
                    // Batch 6's chunk-oriented step calls this form; afterChunk(ChunkContext) is never called
                    @Override
                    public void afterChunk(Chunk<Program> chunk) {
                        pause(properties);
                    }
                })
                .build();
    }

    private static void pause(BatchProperties properties) {
        if (!properties.chunkDelay().isZero()) {
            try {
                Thread.sleep(properties.chunkDelay().toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Bean
    @StepScope
    ProgramReader programReader(@Value("#{jobParameters['batchId']}") String batchId, BatchRepository batches,
            BatchPlanner planner, BatchFolder folder) {
        return new ProgramReader(batchId, batches, planner, folder);
    }

    @Bean
    @StepScope
    ProgramWriter programWriter(@Value("#{jobParameters['batchId']}") String batchId, BatchRepository batches,
            EvaluationService evaluations) {
        return new ProgramWriter(batches.find(batchId).orElseThrow(), batches, evaluations);
    }

    @Bean
    Step awaitStep(JobRepository jobs, PlatformTransactionManager transactions, AwaitEvaluations awaitEvaluations) {
        // runs again at every restart: after a stop at await, a completed await must look again
        return new StepBuilder(AWAIT_STEP, jobs).tasklet(awaitEvaluations, transactions).allowStartIfComplete(true).build();
    }

    @Bean
    @StepScope
    AwaitEvaluations awaitEvaluations(@Value("#{jobParameters['batchId']}") String batchId, EvaluationService evaluations,
            BatchRepository batches) {
        return new AwaitEvaluations(batchId, evaluations, batches);
    }

    @Bean
    Step reportStep(JobRepository jobs, PlatformTransactionManager transactions, BatchProgress progress, BatchReport report,
            BatchFolder folder) {
        return new StepBuilder("report", jobs).tasklet((contribution, context) -> {
            String batchId = context.getStepContext().getStepExecution().getJobParameters().getString(BATCH_ID);
            report.store(batchId, progress.of(batchId), folder.of(batchId));
            return RepeatStatus.FINISHED;
        }, transactions).build();
    }
}
