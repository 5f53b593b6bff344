package dev.crucible.batch;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import dev.crucible.evaluation.EvaluationService;
import dev.crucible.evaluation.InvalidSubmissionException;
import dev.crucible.evaluation.LimitsProperties;
import dev.crucible.evaluation.QueueFullException;
import dev.crucible.evaluation.QueueProperties;
import dev.crucible.evaluation.Submission;
import dev.crucible.evaluation.SubmissionTooLargeException;
import dev.crucible.dispatch.WorkerIdentity;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.multipart.MultipartFile;

/**
 * Uploads become batches here: the upload is stored, read through completely and checked (a
 * hostile or useless one is refused and deleted, leaving nothing behind), then the batch and its
 * files are recorded in one transaction and its job is started. Also cancel and restart.
 */
@Service
public class BatchService {

    private static final Logger log = LoggerFactory.getLogger(BatchService.class);
    private static final DateTimeFormatter SECOND = DateTimeFormatter.ofPattern("yyyyMMdd_HHmmss").withZone(ZoneOffset.UTC);
    private static final SecureRandom RANDOM = new SecureRandom();

    /** What the uploader chose for the whole batch; null fields take the platform's defaults. */
    /** @param callbackUrl called once with the batch's progress when the whole batch has ended; null for none */
    public record Settings(String name, String language, Integer timeout, String memoryLimit, String cpuLimit,
            Integer priority, String callbackUrl) {
    }

    /** One entry of a JSON batch and what became of it. */
    public record JsonItem(String evalId, String status, String message) {
    }

    public record JsonBatch(String batchId, List<JsonItem> items) {
    }

    private final BatchPlanner planner;
    private final BatchRepository batches;
    private final EvaluationService evaluations;
    private final LimitsProperties limits;
    private final QueueProperties queue;
    private final BatchProperties properties;
    private final JobOperator jobOperator;
    private final JobRepository jobRepository;
    private final Job job;
    private final TransactionTemplate transaction;
    private final Clock clock;
    private final BatchFolder folder;
    private final WorkerIdentity node;

    /** Who uploads: the API key whose secret signs the batch's callback. */
    private final dev.crucible.evaluation.Submitters submitters;

    BatchService(BatchPlanner planner, BatchRepository batches, EvaluationService evaluations, LimitsProperties limits,
            QueueProperties queue, BatchProperties properties, JobOperator jobOperator, JobRepository jobRepository, Job crucibleBatchJob,
            TransactionTemplate transaction, Clock clock, BatchFolder folder, WorkerIdentity node,
            dev.crucible.evaluation.Submitters submitters) {
        this.submitters = submitters;
        this.planner = planner;
        this.batches = batches;
        this.evaluations = evaluations;
        this.limits = limits;
        this.queue = queue;
        this.properties = properties;
        this.jobOperator = jobOperator;
        this.jobRepository = jobRepository;
        this.job = crucibleBatchJob;
        this.transaction = transaction;
        this.clock = clock;
        this.folder = folder;
        this.node = node;
    }

    /** A batch from one archive (.zip or .tar.gz). */
    public Batch fromArchive(MultipartFile archive, Settings settings) {
        evaluations.requireStorageRoom();
        Path incoming = folder.incoming();
        try (InputStream in = archive.getInputStream()) {
            Files.copy(in, incoming, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            delete(incoming);
            throw new UncheckedIOException("could not store the upload", e);
        }
        String name = settings.name() != null && !settings.name().isBlank() ? settings.name() : archive.getOriginalFilename();
        return create(incoming, Batch.KIND_ARCHIVE, settings, name);
    }

    /** A batch from many files uploaded at once (packed into a tar as they arrive). */
    public Batch fromFiles(List<MultipartFile> files, Settings settings) {
        if (files.isEmpty()) {
            throw new BadArchiveException(422, "no files were uploaded");
        }
        if (files.size() > properties.maxFiles()) {
            throw new BadArchiveException(413, "more than " + properties.maxFiles() + " files (crucible.batch.max-files)");
        }
        evaluations.requireStorageRoom();
        Path incoming = folder.incoming();
        Set<String> names = new HashSet<>();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(Files.newOutputStream(incoming), "UTF-8")) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (MultipartFile file : files) {
                String path = ArchiveWalker.safePath(file.getOriginalFilename() == null ? "" : file.getOriginalFilename());
                if (!names.add(path)) {
                    throw new BadArchiveException(422, "'" + path + "' was uploaded twice");
                }
                if (file.getSize() > limits.maxCodeSize().toBytes()) {
                    throw new BadArchiveException(413, "'" + path + "' is larger than the program size limit of "
                            + limits.maxCodeSize().toBytes() + " bytes");
                }
                TarArchiveEntry entry = new TarArchiveEntry(path);
                entry.setSize(file.getSize());
                tar.putArchiveEntry(entry);
                try (InputStream in = file.getInputStream()) {
                    in.transferTo(tar);
                }
                tar.closeArchiveEntry();
            }
        } catch (IOException e) {
            delete(incoming);
            throw new UncheckedIOException("could not store the upload", e);
        } catch (RuntimeException e) {
            delete(incoming);
            throw e;
        }
        String name = settings.name() != null && !settings.name().isBlank() ? settings.name() : files.size() + " files";
        return create(incoming, Batch.KIND_FILES, settings, name);
    }

    private Batch create(Path incoming, String kind, Settings settings, String name) {
        String id;
        BatchPlan plan;
        try {
            plan = planner.plan(incoming, settings.language());
            checkDefaults(settings);
            if (plan.programs() > evaluations.queueRoom()) {
                throw new QueueFullException(queue.maxSize());
            }
            id = nextId();
            Path batchFolder = folder.of(id);
            Files.createDirectories(batchFolder);
            String stored = "upload." + switch (plan.format()) {
                case ZIP -> "zip";
                case TAR_GZ -> "tar.gz";
                case TAR -> "tar";
            };
            Files.move(incoming, batchFolder.resolve(stored), StandardCopyOption.ATOMIC_MOVE);
            Batch batch = new Batch(id, truncate(name == null ? id : name, 200), kind, Batch.RUNNING, plan.programs(),
                    plan.skipped(), settings.language(), settings.timeout(), settings.memoryLimit(), settings.cpuLimit(),
                    settings.priority() == null ? 0 : settings.priority(), folder.recorded(batchFolder.resolve(stored)),
                    clock.instant(), null, null, null, settings.callbackUrl() == null ? null
                            : new dev.crucible.evaluation.Callback(settings.callbackUrl(), null, 0, null, null));
            try {
                transaction.executeWithoutResult(status -> {
                    batches.insert(batch, node.id(), clock.instant(), submitters.currentKeyId());
                    batches.insertItems(id, plan.items());
                });
            } catch (RuntimeException e) {
                deleteTree(batchFolder);
                throw e;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            delete(incoming);
        }
        launch(id);
        log.info("Batch {} accepted: {} programs, {} skipped files", id, plan.programs(), plan.skipped());
        return batches.find(id).orElseThrow();
    }

    /**
     * A batch of evaluations given as JSON (POST /api/eval-batch): each entry is read and checked
     * on its own; one that breaks a rule is answered as failed, the others are queued.
     */
    public JsonBatch fromJson(List<java.util.function.Supplier<Submission>> submissions) {
        evaluations.requireStorageRoom();
        String id = nextId();
        List<JsonItem> items = new ArrayList<>();
        List<Submission> valid = new ArrayList<>();
        List<Integer> positions = new ArrayList<>();
        for (int i = 0; i < submissions.size(); i++) {
            try {
                Submission s = submissions.get(i).get();
                evaluations.check(s);
                valid.add(new Submission(s.code(), s.language(), s.timeoutSeconds(), s.memoryLimit(), s.cpuLimit(), s.stdin(),
                        s.priority(), id, null, null, null, null, null, null, null, s.callbackUrl()));
                positions.add(i);
                items.add(null);
            } catch (InvalidSubmissionException | SubmissionTooLargeException e) {
                items.add(new JsonItem(null, "failed", "Failed to queue: " + e.getMessage()));
            }
        }
        if (valid.size() > evaluations.queueRoom()) {
            throw new QueueFullException(queue.maxSize());
        }
        Batch batch = new Batch(id, "JSON batch of " + submissions.size(), Batch.KIND_JSON, Batch.RUNNING, valid.size(),
                0, null, null, null, null, 0, null, clock.instant(), null, null, null, null);
        List<String> ids = transaction.execute(status -> {
            batches.insert(batch, node.id(), clock.instant());
            List<String> queued = evaluations.queueForBatch(valid);
            for (int i = 0; i < queued.size(); i++) {
                batches.insertItem(id, positions.get(i), "evaluations[" + positions.get(i) + "]", queued.get(i),
                        valid.get(i).language());
            }
            return queued;
        });
        for (int i = 0; i < ids.size(); i++) {
            items.set(positions.get(i), new JsonItem(ids.get(i), "queued", "Evaluation queued successfully"));
        }
        return new JsonBatch(id, items);
    }

    /**
     * Retention: deletes whole batches that ended before {@code cutoff} (their evaluations a few
     * hundred at a time, then their items, row, files and job records); returns how many. A batch
     * that still has running work (a cancel under way) waits for the next sweep.
     */
    public int deleteEndedBefore(java.time.Instant cutoff, int chunk) {
        int deleted = 0;
        for (Batch batch : batches.endedBefore(cutoff, 100)) {
            while (evaluations.deleteEndedOfBatch(batch.id(), chunk) > 0) {
                // small transactions: the queue is never held for long
            }
            if (evaluations.countOfBatch(batch.id()) > 0) {
                continue;
            }
            transaction.executeWithoutResult(status -> batches.delete(batch.id()));
            Path batchFolder = folder.of(batch.id());
            if (Files.exists(batchFolder)) {
                deleteTree(batchFolder);
            }
            deleteJobRecords(batch);
            deleted++;
        }
        return deleted;
    }

    private void deleteJobRecords(Batch batch) {
        if (batch.jobExecutionId() == null) {
            return;
        }
        try {
            JobExecution execution = jobRepository.getJobExecution(batch.jobExecutionId());
            if (execution != null) {
                jobRepository.deleteJobInstance(execution.getJobInstance());
            }
        } catch (RuntimeException e) {
            log.warn("Could not delete the job records of batch {}: {}", batch.id(), e.getMessage());
        }
    }

    public void cancel(String batchId) {
        Batch batch = batches.find(batchId).orElseThrow(() -> new BatchNotFoundException(batchId));
        if (!Batch.RUNNING.equals(batch.status()) && !Batch.STOPPED.equals(batch.status())) {
            throw new BatchStateException("batch " + batchId + " is " + batch.status() + "; only a running or stopped batch can be cancelled");
        }
        batches.cancel(batchId, clock.instant());
        evaluations.cancelBatch(batchId);
        if (batch.jobExecutionId() != null) {
            JobExecution execution = jobRepository.getJobExecution(batch.jobExecutionId());
            if (execution != null && execution.isRunning()) {
                try {
                    jobOperator.stop(execution);
                } catch (Exception e) {
                    log.debug("Batch {}: its job could not be stopped ({}); it ends by itself", batchId, e.getMessage());
                }
            }
        }
        log.info("Batch {} cancelled", batchId);
    }

    /** Starts a stopped batch's job again; it continues where it stopped. */
    public void restart(String batchId) {
        Batch batch = batches.find(batchId).orElseThrow(() -> new BatchNotFoundException(batchId));
        if (!Batch.STOPPED.equals(batch.status()) || batch.jobExecutionId() == null) {
            throw new BatchStateException("batch " + batchId + " is " + batch.status() + "; only a stopped batch can be restarted");
        }
        JobExecution last = jobRepository.getJobExecution(batch.jobExecutionId());
        if (last == null) {
            throw new BatchStateException("batch " + batchId + " has no job to restart");
        }
        restart(batchId, last);
    }

    void restart(String batchId, JobExecution last) {
        try {
            if (last.isRunning()) {
                last = jobOperator.recover(last);
            }
            // this process runs the job from now on (another api process may have run it so far)
            batches.own(batchId, node.id(), clock.instant());
            batches.setStatus(batchId, Batch.RUNNING, null, null);
            JobExecution next = jobOperator.restart(last);
            batches.setJobExecution(batchId, next.getId());
            log.info("Batch {} restarted (job execution {})", batchId, next.getId());
        } catch (Exception e) {
            batches.setStatus(batchId, Batch.STOPPED, "restart failed: " + e.getMessage(), null);
            throw new BatchStateException("batch " + batchId + " could not be restarted: " + e.getMessage());
        }
    }

    /** Starts again the job of a batch that stopped to wait for its evaluations, which have all ended: it writes the report. */
    void finish(String batchId, JobExecution awaiting) {
        try {
            JobExecution next = jobOperator.restart(awaiting);
            batches.setJobExecution(batchId, next.getId());
            log.info("Batch {}: every evaluation has ended; writing its report (job execution {})", batchId, next.getId());
        } catch (Exception e) {
            log.error("Batch {}: its report could not be started", batchId, e);
            batches.setStatus(batchId, Batch.STOPPED, "the report could not be started: " + e.getMessage(), null);
        }
    }

    private void launch(String batchId) {
        try {
            JobExecution execution = jobOperator.start(job,
                    new JobParametersBuilder().addString(BatchJobConfiguration.BATCH_ID, batchId).toJobParameters());
            batches.setJobExecution(batchId, execution.getId());
        } catch (Exception e) {
            log.error("Batch {}: its job could not be started", batchId, e);
            batches.setStatus(batchId, Batch.STOPPED, "the job could not be started: " + e.getMessage(), null);
        }
    }

    /** The batch's defaults obey the same rules as a single evaluation's fields (422 naming the field). */
    private void checkDefaults(Settings settings) {
        evaluations.check(new Submission("pass", settings.language(), settings.timeout(), settings.memoryLimit(),
                settings.cpuLimit(), null, settings.priority(), null, null, null, null, null, null, null, null,
                settings.callbackUrl()));
    }

    static String nextId() {
        byte[] random = new byte[4];
        RANDOM.nextBytes(random);
        return "batch_" + SECOND.format(Instant.now()) + "_" + HexFormat.of().formatHex(random);
    }

    private static String truncate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max);
    }

    private static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            log.warn("Could not delete {}: {}", file, e.getMessage());
        }
    }

    private static void deleteTree(Path folder) {
        try (var files = Files.walk(folder)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(BatchService::delete);
        } catch (IOException e) {
            log.warn("Could not delete {}: {}", folder, e.getMessage());
        }
    }
}
