package dev.crucible.batch;

import java.nio.file.Path;
import java.time.Duration;

import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Batch uploads.
 *
 * @param maxFiles files an archive may hold
 * @param maxBytes uncompressed bytes an archive may hold in all
 * @param maxRatio uncompressed bytes per compressed byte beyond which an archive counts as a
 *                 zip bomb (checked while reading, once more than 1 MiB came out)
 * @param chunkSize evaluations created per transaction while an upload is ingested
 * @param chunkDelay pause between ingest chunks (spreads the load of a huge upload; 0 by default)
 * @param pollInterval how often batches that wait for their evaluations are looked at; one whose
 *                     evaluations have all ended gets its report then (no thread waits meanwhile)
 * @param autoResume restart batches interrupted by a crash when the platform starts again
 * @param jobConcurrency batch jobs that run at once (ingesting an upload or writing a report); more
 *                       wait in line. A batch waiting for its evaluations runs no job.
 * @param folder where uploads and reports are kept (unset: {@code batches} in the storage
 *               folder). With more than one api process on a shared database it must be one
 *               folder that every api process reads and writes at this same path (a shared
 *               file system): a batch whose api process dies is continued by another one, from
 *               its upload.
 */
@Validated
@ConfigurationProperties("crucible.batch")
public record BatchProperties(
        @DefaultValue("5000") @Min(1) int maxFiles,
        @DefaultValue("200MB") DataSize maxBytes,
        @DefaultValue("100") @Min(2) long maxRatio,
        @DefaultValue("100") @Min(1) int chunkSize,
        @DefaultValue("0ms") Duration chunkDelay,
        @DefaultValue("1s") Duration pollInterval,
        @DefaultValue("true") boolean autoResume,
        @DefaultValue("16") @Min(1) int jobConcurrency,
        Path folder) {
}
