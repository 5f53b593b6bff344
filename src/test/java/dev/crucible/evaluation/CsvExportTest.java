package dev.crucible.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.asyncDispatch;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import dev.crucible.support.HistorySeed;
import dev.crucible.support.TempStorageInitializer;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.web.servlet.MockMvc;

/** GET /api/evaluations.csv: RFC 4180, the history's filters, neutralised formulas, streamed. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"crucible.docker.host=unix:///nonexistent/docker.sock", "crucible.export.text-limit=40"})
@AutoConfigureMockMvc
@ContextConfiguration(initializers = TempStorageInitializer.class)
class CsvExportTest {

    static final int SEEDED = 100_000;

    @Autowired
    MockMvc mvc;

    @Autowired
    JdbcClient jdbc;

    @LocalServerPort
    int port;

    @BeforeEach
    void history() {
        if (jdbc.sql("SELECT COUNT(*) FROM evaluation").query(Long.class).single() == 0) {
            HistorySeed.seed(jdbc, SEEDED);
            jdbc.sql("""
                    INSERT INTO evaluation (id, status, language, code, timeout_seconds, memory_bytes, nano_cpus, created_at,
                                            output, stderr, error, exit_code, failure_reason, image)
                    VALUES ('formulas', 'failed', 'python', 'x', 30, 1, 1, CURRENT_TIMESTAMP,
                            '=HYPERLINK("http://evil.example","click")', '+SUM(A1:A9)', '@cmd', 1, '-1', 'tab')
                    """).update();
        }
    }

    List<CSVRecord> csv(String query) throws Exception {
        String body = mvc.perform(asyncDispatch(mvc.perform(get("/api/evaluations.csv" + query)).andReturn()))
                .andExpect(status().isOk())
                .andExpect(header().string("Content-Type", "text/csv;charset=UTF-8"))
                .andExpect(header().string("Content-Disposition",
                        org.hamcrest.Matchers.matchesPattern("attachment; filename=\"crucible-evaluations-\\d{8}-\\d{6}\\.csv\"")))
                .andReturn().getResponse().getContentAsString(StandardCharsets.UTF_8);
        return CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(new StringReader(body)).getRecords();
    }

    @Test
    void theHeaderAndFieldsAreTheDocumentedOnes() throws Exception {
        String body = mvc.perform(asyncDispatch(mvc.perform(get("/api/evaluations.csv?q=seed_0000001")).andReturn())).andReturn().getResponse()
                .getContentAsString(StandardCharsets.UTF_8);
        // every field quoted, not only those that need it: no reader has to guess where a cell ends
        assertThat(body.lines().findFirst().orElseThrow()).isEqualTo("\"eval_id\",\"status\",\"language\",\"exit_code\","
                + "\"failure_reason\",\"runtime_ms\",\"cpu_time_ms\",\"peak_memory_kb\",\"created_at\",\"started_at\",\"completed_at\",\"batch_id\",\"image\","
                + "\"output\",\"error\"");
        assertThat(body.lines().skip(1).findFirst().orElseThrow()).startsWith("\"seed_0000001\",\"timeout\",\"")
                .contains(",\"137\",");
        CSVRecord row = csv("?q=seed_0000001").get(0);
        assertThat(row.get("eval_id")).isEqualTo("seed_0000001");
        assertThat(row.get("status")).isEqualTo("timeout");
        assertThat(row.get("exit_code")).isEqualTo("137");
        assertThat(row.get("output")).isEqualTo("output line of evaluation 1\n");
        assertThat(row.get("created_at")).endsWith("Z");
    }

    @Test
    void cellsASpreadsheetWouldRunAreNeutralised() throws Exception {
        CSVRecord row = csv("?q=formulas").get(0);
        assertThat(row.get("output")).isEqualTo("'=HYPERLINK(\"http://evil.example\",\"click\""); // cut to 40 characters
        assertThat(row.get("error")).isEqualTo("'@cmd");
        assertThat(row.get("failure_reason")).isEqualTo("'-1");
        assertThat(CsvCells.text("\tx")).isEqualTo("'\tx");
        assertThat(CsvCells.text("\rx")).isEqualTo("'\rx");
        assertThat(CsvCells.text("+1")).isEqualTo("'+1");
        assertThat(CsvCells.text("plain")).isEqualTo("plain");
    }

    @Test
    void theHistorysFiltersApply() throws Exception {
        List<CSVRecord> failedNode = csv("?status=failed&language=node&to=2999-12-31");
        assertThat(failedNode).isNotEmpty().allMatch(r -> r.get("status").equals("failed") && r.get("language").equals("node"));
        assertThat(failedNode).hasSize((int) jdbc.sql("SELECT COUNT(*) FROM evaluation WHERE status = 'failed' AND language = 'node'")
                .query(Long.class).single().longValue());
        assertThat(csv("?batch=batch_7")).isNotEmpty().allMatch(r -> r.get("batch_id").equals("batch_7"));
        assertThat(csv("?from=2000-01-01&to=2000-01-02")).isEmpty();
        mvc.perform(get("/api/evaluations.csv?status=bogus")).andExpect(status().isUnprocessableContent());
        mvc.perform(get("/api/evaluations.csv?from=soon")).andExpect(status().isUnprocessableContent());
    }

    @Test
    void aLargeExportStreamsEveryRowOnceNewestFirst() throws Exception {
        HttpResponse<java.io.InputStream> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/evaluations.csv")).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        // streamed: no length known up front, sent in chunks as rows are read
        assertThat(response.headers().firstValue("Content-Length")).isEmpty();
        assertThat(response.headers().firstValue("Transfer-Encoding")).contains("chunked");
        long rows = 0;
        String previousSeed = null;
        List<String> outOfOrder = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            for (CSVRecord record : CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(reader)) {
                rows++;
                String id = record.get("eval_id");
                if (id.startsWith("seed_")) {
                    if (previousSeed != null && id.compareTo(previousSeed) >= 0) {
                        outOfOrder.add(id);
                    }
                    previousSeed = id;
                }
            }
        }
        assertThat(rows).isEqualTo(SEEDED + 1 + jdbc.sql("SELECT COUNT(*) FROM evaluation WHERE id NOT LIKE 'seed_%' AND id <> 'formulas'")
                .query(Long.class).single());
        assertThat(outOfOrder).isEmpty();
    }
}
