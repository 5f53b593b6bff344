package dev.crucible.batch;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import dev.crucible.evaluation.EvaluationHistory;
import dev.crucible.evaluation.EvaluationStatus;
import dev.crucible.evaluation.ExportProperties;
import dev.crucible.evaluation.OutputComparison;
import org.springframework.stereotype.Component;

/**
 * A batch's results, file by file: each program with its evaluation's outcome and, where the
 * manifest gave an expected output, the verdict; each skipped file with its reason. Read in pages
 * of {@value #PAGE} (a 5 000-file batch never sits in memory at once).
 */
@Component
class BatchResults {

    static final int PAGE = 500;

    /** One file of a batch and what became of it. */
    record Row(int index, String path, String evalId, String status, Integer exitCode, Long runtimeMs, Long cpuTimeMs,
            Long peakMemoryKb, String failureReason, String verdict, Integer testsPassed, Integer testsTotal, String output,
            String error) {
    }

    private final BatchRepository batches;
    private final EvaluationHistory history;
    private final ExportProperties export;

    BatchResults(BatchRepository batches, EvaluationHistory history, ExportProperties export) {
        this.batches = batches;
        this.history = history;
        this.export = export;
    }

    void forEach(String batchId, Consumer<Row> sink) {
        int from = 0;
        while (true) {
            List<BatchRepository.Item> items = batches.items(batchId, from, PAGE);
            page(items).forEach(sink);
            if (items.size() < PAGE) {
                return;
            }
            from = items.get(items.size() - 1).index() + 1;
        }
    }

    List<Row> page(String batchId, int fromIndex, int size) {
        return page(batches.items(batchId, fromIndex, size));
    }

    private List<Row> page(List<BatchRepository.Item> items) {
        List<String> ids = items.stream().map(BatchRepository.Item::evalId).filter(id -> id != null).toList();
        Map<String, EvaluationHistory.ExportRow> evaluations = history.byIds(ids, export.textLimit());
        List<String> judged = items.stream().filter(i -> i.evalId() != null && i.expectedOutput() != null)
                .map(BatchRepository.Item::evalId).toList();
        Map<String, String> stdout = history.stdoutByIds(judged);
        return items.stream().map(item -> row(item, evaluations.get(item.evalId()), stdout.get(item.evalId()))).toList();
    }

    private static Row row(BatchRepository.Item item, EvaluationHistory.ExportRow e, String stdout) {
        if (item.skipReason() != null) {
            return new Row(item.index(), item.path(), null, "skipped", null, null, null, null, item.skipReason(), null, null,
                    null, null, null);
        }
        if (e == null) {
            return new Row(item.index(), item.path(), null, "pending", null, null, null, null, null, null, null, null, null,
                    null);
        }
        return new Row(item.index(), item.path(), e.id(), e.status(), e.exitCode(), e.runtimeMs(), e.cpuTimeMs(),
                e.peakMemoryKb(), e.failureReason(),
                // the evaluation's own verdict; batches queued before evaluations judged themselves are judged here
                e.verdict() != null ? e.verdict() : verdict(item.expectedOutput(), e.status(), stdout),
                e.testsPassed(), e.testsTotal(), e.output(), e.error());
    }

    /**
     * As Judge0 does: {@code passed} when the program completed and its stdout equals the expected
     * output after trailing white space is trimmed (at each line's end and at the end);
     * {@code wrong_answer} when it completed with other output; {@code error} when it did not
     * complete; nothing while it has not ended or when no output was expected.
     */
    static String verdict(String expected, String status, String stdout) {
        if (expected == null) {
            return null;
        }
        return new OutputComparison(expected, OutputComparison.Mode.TRIM, 0).verdict(EvaluationStatus.fromWire(status), stdout);
    }
}
