package dev.crucible.batch;

import java.util.List;

import dev.crucible.evaluation.EvaluationService;
import dev.crucible.evaluation.Submission;
import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ItemWriter;

/**
 * Queues a chunk of programs as evaluations of the batch and links each file to its evaluation,
 * in the chunk's transaction (the same one that saves the reader's position).
 */
class ProgramWriter implements ItemWriter<Program> {

    private final Batch batch;
    private final BatchRepository batches;
    private final EvaluationService evaluations;

    ProgramWriter(Batch batch, BatchRepository batches, EvaluationService evaluations) {
        this.batch = batch;
        this.batches = batches;
        this.evaluations = evaluations;
    }

    @Override
    public void write(Chunk<? extends Program> chunk) {
        List<Submission> submissions = chunk.getItems().stream().map(p -> {
            ProgramSettings settings = p.item().settings() == null ? ProgramSettings.NONE : p.item().settings();
            // the evaluation judges its own output (by the manifest's compare mode), as an API submission would
            return new Submission(p.code(),
                    p.item().language() != null ? p.item().language() : batch.defaultLanguage(),
                    p.item().timeout() != null ? p.item().timeout() : batch.defaultTimeout(),
                    batch.defaultMemory(), batch.defaultCpu(), p.item().stdin(), batch.priority(), batch.id(),
                    settings.args(), p.item().expectedOutput(), settings.compareMode(), settings.tolerance(), settings.files(),
                    null, settings.testCases());
        }).toList();
        List<String> ids = evaluations.queueForBatch(submissions);
        for (int i = 0; i < ids.size(); i++) {
            batches.linkEvaluation(batch.id(), chunk.getItems().get(i).index(), ids.get(i));
        }
    }
}
