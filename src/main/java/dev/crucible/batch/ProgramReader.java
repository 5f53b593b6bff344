package dev.crucible.batch;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStreamReader;

/**
 * Reads a batch's programs from its stored archive, in archive order, for the ingest step. It
 * saves in the step's execution context the index of the next file to read, committed with each
 * chunk, so a restart after a crash continues after the last committed chunk: nothing is queued
 * twice, nothing is left out.
 */
class ProgramReader implements ItemStreamReader<Program> {

    static final String NEXT_INDEX = "ingest.next-index";

    private final String batchId;
    private final BatchRepository batches;
    private final BatchPlanner planner;
    private final BatchFolder folder;
    private Map<Integer, BatchRepository.Item> programs;
    private ArchiveWalker.Cursor cursor;
    private int nextIndex;
    private int reads;

    ProgramReader(String batchId, BatchRepository batches, BatchPlanner planner, BatchFolder folder) {
        this.batchId = batchId;
        this.batches = batches;
        this.planner = planner;
        this.folder = folder;
    }

    @Override
    public void open(ExecutionContext context) {
        Batch batch = batches.find(batchId).orElseThrow(() -> new IllegalStateException("no batch " + batchId));
        programs = batches.programs(batchId).stream()
                .collect(Collectors.toMap(BatchRepository.Item::index, Function.identity()));
        nextIndex = context.containsKey(NEXT_INDEX) ? context.getInt(NEXT_INDEX) : 0;
        cursor = ArchiveWalker.open(folder.file(batch.archiveFile()), planner.walkLimits());
    }

    @Override
    public Program read() throws IOException {
        if (++reads % 100 == 0 && batches.find(batchId).map(b -> Batch.CANCELLED.equals(b.status())).orElse(true)) {
            return null; // cancelled while ingesting: queue no more
        }
        ArchiveWalker.Cursor.File file;
        while ((file = cursor.next()) != null) {
            int index = file.entry().index();
            BatchRepository.Item item = programs.get(index);
            if (index < nextIndex || item == null) {
                continue;
            }
            if (item.evalId() != null) {
                throw new IllegalStateException("batch " + batchId + ": " + item.path() + " was queued before; "
                        + "the ingest position was lost");
            }
            nextIndex = index + 1;
            return new Program(index, item.path(), new String(file.content().readAllBytes(), StandardCharsets.UTF_8), item);
        }
        return null;
    }

    @Override
    public void update(ExecutionContext context) {
        context.putInt(NEXT_INDEX, nextIndex);
    }

    @Override
    public void close() {
        if (cursor != null) {
            cursor.close();
            cursor = null;
        }
    }
}
