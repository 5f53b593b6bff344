package dev.crucible.evaluation;

import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import org.apache.commons.csv.CSVPrinter;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;
import io.swagger.v3.oas.annotations.tags.Tag;

/**
 * {@code GET /api/evaluations.csv}: the history with the same filters as the history table, as
 * RFC 4180 CSV in UTF-8, streamed row by row (the whole history never sits in memory). Cells a
 * spreadsheet would run as a formula are neutralised.
 */
@RestController
@Tag(name = "Evaluations")
class CsvExportController {

    static final String[] HEADER = {"eval_id", "status", "language", "exit_code", "failure_reason", "runtime_ms",
            "cpu_time_ms", "peak_memory_kb", "created_at", "started_at", "completed_at", "batch_id", "image", "output", "error"};
    private static final DateTimeFormatter FILE_STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    private final EvaluationHistory history;
    private final ExportProperties properties;
    private final Clock clock;

    CsvExportController(EvaluationHistory history, ExportProperties properties, Clock clock) {
        this.history = history;
        this.properties = properties;
        this.clock = clock;
    }

    @GetMapping("/api/evaluations.csv")
    @Operation(summary = "Export the history as CSV", description = "The evaluations the filters select, as the dashboard's "
            + "table filters them, one row each, streamed")
    @ApiResponse(responseCode = "200", description = "The rows, with a header row",
            content = @Content(mediaType = "text/csv", schema = @Schema(type = "string")))
    ResponseEntity<StreamingResponseBody> export(
            @RequestParam(required = false) String status, @RequestParam(required = false) String language,
            @RequestParam(required = false) String batch, @RequestParam(required = false) String q,
            @RequestParam(required = false) String from, @RequestParam(required = false) String to) {
        HistoryFilter filter = HistoryParams.parse(status, language, batch, q, from, to);
        String fileName = "crucible-evaluations-" + FILE_STAMP.format(clock.instant()) + ".csv";
        StreamingResponseBody body = out -> {
            var writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 64 * 1024);
            try (CSVPrinter csv = new CSVPrinter(writer, CsvCells.FORMAT.builder().setHeader(HEADER).get())) {
                history.export(filter, properties.textLimit(), row -> print(csv, row));
            }
        };
        return ResponseEntity.ok()
                .contentType(new MediaType("text", "csv", StandardCharsets.UTF_8))
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + fileName + "\"")
                .body(body);
    }

    private static void print(CSVPrinter csv, EvaluationHistory.ExportRow r) {
        try {
            csv.printRecord(CsvCells.text(r.id()), CsvCells.text(r.status()), CsvCells.text(r.language()), r.exitCode(),
                    CsvCells.text(r.failureReason()), r.runtimeMs(), r.cpuTimeMs(), r.peakMemoryKb(), CsvCells.time(r.createdAt()), CsvCells.time(r.startedAt()),
                    CsvCells.time(r.completedAt()), CsvCells.text(r.batchId()), CsvCells.text(r.image()),
                    CsvCells.text(r.output()), CsvCells.text(r.error()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
