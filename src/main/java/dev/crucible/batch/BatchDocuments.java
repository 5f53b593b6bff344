package dev.crucible.batch;

import java.util.Optional;

import org.springframework.stereotype.Component;
import tools.jackson.databind.ObjectMapper;

/** A batch as {@code GET /api/batches/{id}} answers it, for those who send it elsewhere (webhooks). */
@Component
public class BatchDocuments {

    private final BatchRepository batches;
    private final BatchProgress progress;
    private final ObjectMapper json;

    BatchDocuments(BatchRepository batches, BatchProgress progress, ObjectMapper json) {
        this.batches = batches;
        this.progress = progress;
        this.json = json;
    }

    /** The JSON document; empty when the batch is gone (deleted by retention). */
    public Optional<String> of(String batchId) {
        return batches.find(batchId).map(b -> json.writeValueAsString(progress.of(b)));
    }
}
