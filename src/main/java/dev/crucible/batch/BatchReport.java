package dev.crucible.batch;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import dev.crucible.evaluation.CsvCells;
import org.apache.commons.csv.CSVPrinter;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes a batch's results as CSV (one row per file, formulas neutralised as in the history
 * export) and its summary as JSON. The stored files of the third step are written to a temporary
 * name and moved into place, so a crash never leaves half a report.
 */
@Component
class BatchReport {

    static final String[] HEADER = {"file", "eval_id", "status", "exit_code", "runtime_ms", "cpu_time_ms", "peak_memory_kb",
            "failure_reason", "verdict", "tests_passed", "tests_total", "output", "error"};
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final BatchResults results;

    BatchReport(BatchResults results) {
        this.results = results;
    }

    void writeCsv(String batchId, Writer out) throws IOException {
        try (CSVPrinter csv = new CSVPrinter(out, CsvCells.FORMAT.builder().setHeader(HEADER).get())) {
            results.forEach(batchId, row -> {
                try {
                    csv.printRecord(CsvCells.text(row.path()), row.evalId(), row.status(), row.exitCode(), row.runtimeMs(),
                            row.cpuTimeMs(), row.peakMemoryKb(), CsvCells.text(row.failureReason()), row.verdict(),
                            row.testsPassed(), row.testsTotal(), CsvCells.text(row.output()), CsvCells.text(row.error()));
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
        }
    }

    /** Writes results.csv and summary.json into {@code folder}. */
    void store(String batchId, Object summary, Path folder) throws IOException {
        Files.createDirectories(folder);
        Path csv = folder.resolve("results.csv");
        Path csvPart = folder.resolve("results.csv.part");
        try (BufferedWriter out = Files.newBufferedWriter(csvPart, StandardCharsets.UTF_8)) {
            writeCsv(batchId, out);
        }
        Files.move(csvPart, csv, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        Path json = folder.resolve("summary.json");
        Path jsonPart = folder.resolve("summary.json.part");
        Files.writeString(jsonPart, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(summary), StandardCharsets.UTF_8);
        Files.move(jsonPart, json, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
