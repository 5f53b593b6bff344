package dev.crucible.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrlPattern;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.crucible.evaluation.EvaluationRepository;
import dev.crucible.evaluation.EvaluationService;
import dev.crucible.evaluation.EvaluationStatus;
import dev.crucible.evaluation.Submission;
import dev.crucible.security.ApiKeys;
import dev.crucible.support.TempStorageInitializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.RequestPostProcessor;

/**
 * Every page of the admin UI, server-rendered, as a logged-in admin. Docker is pointed nowhere,
 * so submitted evaluations stay queued: the pages are tested on data, not on containers (the
 * browser test does the rest with real ones).
 */
@SpringBootTest(properties = "crucible.docker.host=unix:///nonexistent/docker.sock")
@AutoConfigureMockMvc
@ContextConfiguration(initializers = TempStorageInitializer.class)
class WebPagesTest {

    static final RequestPostProcessor ADMIN = user("admin").roles("ADMIN");

    @Autowired
    MockMvc mvc;

    @Autowired
    EvaluationService service;

    @Autowired
    EvaluationRepository repository;

    @Autowired
    ApiKeys keys;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    QueueDepthSamples queueDepth;

    String queuedId;

    @BeforeEach
    void someHistory() {
        queuedId = service.submit(new Submission("print('<b>hi</b>')\nprint(2)", "python", 5, "64Mi", "500m",
                "input", null, null)).evaluation().id();
    }

    String page(String path) throws Exception {
        return mvc.perform(get(path).with(ADMIN)).andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
    }

    @Test
    void theEvaluationPageShowsItsCallbackAndRetriesAFailedOne() throws Exception {
        jdbc.sql("""
                UPDATE evaluation SET status = 'completed', completed_at = CURRENT_TIMESTAMP,
                       callback_url = 'http://127.0.0.1:9/hook', callback_status = 'failed', callback_attempts = 3,
                       callback_last_error = 'HTTP 503 (gave up after 3 tries)'
                WHERE id = :id
                """).param("id", queuedId).update();
        String callback = section(page("/evaluations/" + queuedId), "id=\"callback\"", "</dd>");
        assertThat(callback).contains("http://127.0.0.1:9/hook").contains("failed").contains("3 tries")
                .contains("last error: HTTP 503 (gave up after 3 tries)").contains("Retry callback");
        assertThat(page("/evaluations/" + queuedId)).doesNotContain("Only a failed callback can be retried.");
        mvc.perform(post("/evaluations/" + queuedId + "/callback/retry").with(ADMIN).with(csrf()))
                .andExpect(redirectedUrl("/evaluations/" + queuedId)).andExpect(flash().attributeCount(0));
        // tried once more at once; here the address is refused when it is sent (127.0.0.1 is not allowed)
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() ->
                jdbc.sql("SELECT callback_attempts FROM evaluation WHERE id = :id").param("id", queuedId)
                        .query(Integer.class).single() == 4);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() ->
                jdbc.sql("SELECT callback_last_error FROM evaluation WHERE id = :id").param("id", queuedId)
                        .query(String.class).single().contains("loopback"));
        // while the callback is pending, the ended evaluation's panel asks for itself now and then
        jdbc.sql("UPDATE evaluation SET callback_status = 'pending' WHERE id = :id").param("id", queuedId).update();
        assertThat(page("/evaluations/" + queuedId + "/panel")).contains("hx-trigger=\"every 2s\"").doesNotContain("data-events");
        // a callback that is not failed cannot be retried
        jdbc.sql("UPDATE evaluation SET callback_status = 'delivered' WHERE id = :id").param("id", queuedId).update();
        assertThat(page("/evaluations/" + queuedId + "/panel")).doesNotContain("hx-trigger");
        var refused = mvc.perform(post("/evaluations/" + queuedId + "/callback/retry").with(ADMIN).with(csrf()))
                .andExpect(flash().attributeExists("error")).andReturn();
        assertThat(mvc.perform(get("/evaluations/" + queuedId).with(ADMIN).flashAttrs(refused.getFlashMap())).andReturn()
                .getResponse().getContentAsString()).contains("Only a failed callback can be retried.");
    }

    @Test
    void theWorkersPageShowsEachLiveWorkersPool() throws Exception {
        String other = "pool-page-test-" + System.nanoTime();
        jdbc.sql("""
                INSERT INTO worker (id, host, state, slots, slots_in_use, started_at, heartbeat_at, pool_ready, pool_handed_out)
                VALUES (:id, 'elsewhere', 'running', 4, 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 3, 41)
                """).param("id", other).update();
        try {
            String row = section(page("/workers"), other, "</tr>");
            assertThat(row).contains("3 ready").contains("41 taken");
            // a worker whose pool is off (or an older worker that does not say)
            jdbc.sql("UPDATE worker SET pool_ready = NULL, pool_handed_out = NULL WHERE id = :id").param("id", other).update();
            assertThat(section(page("/workers"), other, "</tr>")).contains("pool off").doesNotContain("ready");
        } finally {
            jdbc.sql("DELETE FROM worker WHERE id = :id").param("id", other).update();
        }
    }

    @Test
    void theWorkersPageShowsThisWorkerLiveAndDrainsAndResumesIt() throws Exception {
        String id = jdbc.sql("SELECT id FROM worker WHERE state = 'running'").query(String.class).list().get(0);
        String html = page("/workers");
        assertThat(html).contains("<h1>Workers</h1>").contains(id).contains("hx-trigger=\"every 2s\"")
                .contains("queued, single").contains("/workers/" + id + "/drain");
        mvc.perform(post("/workers/" + id + "/drain").with(ADMIN).with(csrf())).andExpect(redirectedUrl("/workers"));
        assertThat(jdbc.sql("SELECT state FROM worker WHERE id = :id").param("id", id).query(String.class).single())
                .isEqualTo("draining");
        assertThat(page("/workers")).contains("/workers/" + id + "/resume");
        mvc.perform(post("/workers/" + id + "/resume").with(ADMIN).with(csrf())).andExpect(redirectedUrl("/workers"));
        assertThat(jdbc.sql("SELECT state FROM worker WHERE id = :id").param("id", id).query(String.class).single())
                .isEqualTo("running");
        // only the table for htmx
        String partial = mvc.perform(get("/workers").with(ADMIN).header("HX-Request", "true")).andReturn().getResponse()
                .getContentAsString();
        assertThat(partial).contains("id=\"workers\"").doesNotContain("<h1>");
    }

    @Test
    void theWorkersPageChartsTheLastHourPerMinuteForTheInstallationAndEachWorker() throws Exception {
        long[] before = summary(section(page("/workers"), "id=\"throughput-chart\"", "</figure>"));
        Instant now = Instant.now();
        String a = "chart-a-" + queuedId.substring(queuedId.length() - 6);
        String b = "chart-b-" + queuedId.substring(queuedId.length() - 6);
        stoppedWorker(a, now);
        stoppedWorker(b, now);
        ended(a, now.minus(Duration.ofMinutes(20)), 3);
        ended(a, now.minus(Duration.ofMinutes(45)), 1);
        ended(b, now.minus(Duration.ofMinutes(20)), 2);
        ended(b, now.minus(Duration.ofMinutes(5)), 1);
        queueDepth.sample();

        String html = page("/workers");

        // the installation: 7 more ended, 5 of them in one minute (what other tests ended is in "before")
        String installation = section(html, "id=\"throughput-chart\"", "</figure>");
        assertThat(summary(installation)).containsExactly(before[0] + 7, Math.max(before[1], 5));
        assertThat(installation).contains("last 60 min").contains(Math.max(before[1], 5) + "/min");
        // each worker's sparkline: a bar a minute that had ends, as high as its count against the peak
        String rowA = section(html, a, "</tr>");
        assertThat(rowA).contains("aria-label=\"4 ended in the last hour, peak 3/min\"")
                // 45 minutes ago (minute 14 of 60, or 13 if a minute has turned since), then 20 minutes ago
                .containsPattern("d=\"M1[34]\\.1 20v-6\\.67h0\\.8v6\\.67zM3[89]\\.1 20v-20h0\\.8v20z\"");
        String rowB = section(html, b, "</tr>");
        assertThat(rowB).contains("aria-label=\"3 ended in the last hour, peak 2/min\"");
        // the queue's depth as this process sampled it, said honestly
        String queue = section(html, "id=\"queue-depth-chart\"", "</figure>");
        assertThat(queue).contains("queue depth now " + repository.count(EvaluationStatus.QUEUED))
                .contains("Sampled every 30 s by this api process");
        // drawn on the server: no script, no style attribute (the Content-Security-Policy allows neither inline)
        assertThat(html).contains("<svg").doesNotContain("style=").doesNotContain("<script>");
    }

    static String section(String html, String from, String to) {
        int start = html.indexOf(from);
        assertThat(start).as("%s in the page", from).isNotNegative();
        return html.substring(start, html.indexOf(to, start));
    }

    /** How many ended and the peak per minute, from a chart's accessible summary. */
    static long[] summary(String chart) {
        Matcher m = Pattern.compile("aria-label=\"(\\d+) ended in the last hour, peak (\\d+)/min\"").matcher(chart);
        assertThat(m.find()).as("a throughput summary in %s", chart).isTrue();
        return new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2))};
    }

    void stoppedWorker(String id, Instant now) {
        jdbc.sql("""
                INSERT INTO worker (id, host, state, slots, slots_in_use, started_at, heartbeat_at)
                VALUES (:id, 'chart-host', 'stopped', 2, 0, :now, :now)
                """).param("id", id).param("now", now.atOffset(ZoneOffset.UTC)).update();
    }

    void ended(String worker, Instant at, int count) {
        for (int i = 0; i < count; i++) {
            String id = service.submit(new Submission("print(1)", "python", 5, "64Mi", "500m", "", null, null))
                    .evaluation().id();
            jdbc.sql("""
                    UPDATE evaluation SET status = 'completed', worker_id = :worker, started_at = :at, completed_at = :at,
                                          exit_code = 0, runtime_ms = 5
                    WHERE id = :id
                    """).param("worker", worker).param("at", at.atOffset(ZoneOffset.UTC)).param("id", id).update();
        }
    }

    @Test
    void theDashboardShowsCountsChartsFiltersAndTheTable() throws Exception {
        String html = page("/");
        // how far back history goes (crucible.retention.max-age, 90 days by default)
        assertThat(html).contains("History is kept for 90 days: evaluations created on or after");
        assertThat(html).contains("<h1>Dashboard</h1>").contains("id=\"chart-throughput\"").contains("id=\"chart-runtime\"")
                .contains(queuedId).contains("Export CSV").contains("hx-get").contains("status-queued");
        // from the jar's webjars, never a CDN
        assertThat(html).containsPattern("src=\"/webjars/htmx.org/[0-9.]+/dist/htmx.min.js\"")
                .containsPattern("src=\"/webjars/uplot/[0-9.]+/dist/uPlot.iife.min.js\"").doesNotContain("https://");
        // the layout: header navigation with live counters, footer with the version
        assertThat(html).contains("/ui/counters").contains("API keys").contains("class=\"bottom\"");
    }

    @Test
    void theTableFiltersSortsAndPagesOnTheServer() throws Exception {
        assertThat(page("/?status=queued")).contains(queuedId);
        assertThat(page("/?status=completed")).doesNotContain(queuedId).contains("No evaluations match.");
        assertThat(page("/?q=" + queuedId.substring(9))).contains(queuedId);
        assertThat(page("/?q=zzzz")).doesNotContain(queuedId);
        assertThat(page("/?language=node")).doesNotContain(queuedId);
        assertThat(page("/?from=2000-01-01&to=2999-01-01")).contains(queuedId);
        assertThat(page("/?to=2000-01-01")).doesNotContain(queuedId);
        assertThat(page("/?from=yesterday")).contains("from must be a day");
        assertThat(page("/?sort=runtime&dir=asc&page=999")).contains(queuedId);
        // CPU time and peak memory are columns of their own, sortable (unmeasured rows last)
        assertThat(page("/?sort=cpu_time&dir=desc")).contains(queuedId).contains("sort=peak_memory");
        assertThat(page("/?sort=peak_memory&dir=asc")).contains(queuedId).contains("sort=cpu_time");
        String csvLink = page("/?status=queued&sort=runtime");
        assertThat(csvLink).contains("/api/evaluations.csv?status=queued\"");
    }

    @Test
    void htmxGetsOnlyTheTable() throws Exception {
        String fragment = mvc.perform(get("/?status=queued").with(ADMIN).header("HX-Request", "true"))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        assertThat(fragment).startsWith("<section id=\"history\"").contains(queuedId).doesNotContain("<html");
    }

    @Test
    void theChartsDataAndTheCountersAreSmallAnswers() throws Exception {
        mvc.perform(get("/dashboard/metrics.json").with(ADMIN))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.throughput.minutes.length()").value(60))
                .andExpect(jsonPath("$.throughput.ended.length()").value(60))
                .andExpect(jsonPath("$.runtime.buckets.length()").value(12))
                .andExpect(jsonPath("$.runtime.counts.length()").value(12));
        assertThat(page("/ui/counters")).contains("queued").contains("running");
    }

    @Test
    void theSubmitPageShowsLanguagesAndLimitsAndRefusesBadInputClearly() throws Exception {
        String form = page("/evaluations/new");
        assertThat(form).contains("crucible-runtime/python:3.11").contains("crucible-runtime/node:18")
                .contains("1 to 300 s").contains("16Mi to 2Gi").contains("class=\"code-editor\"");
        long before = repository.count(null);
        String refused = mvc.perform(post("/evaluations").with(ADMIN).with(csrf())
                        .param("language", "cobol").param("code", "x").param("timeout", "9999"))
                .andExpect(status().isUnprocessableContent()).andReturn().getResponse().getContentAsString();
        assertThat(refused).contains("Language &#39;cobol&#39; is not supported").contains("between 1 and 300");
        assertThat(repository.count(null)).isEqualTo(before);
        mvc.perform(post("/evaluations").with(ADMIN).with(csrf()).param("language", "node").param("code", "console.log(1)")
                .param("timeout", "10").param("memoryLimit", "128Mi").param("cpuLimit", "1"))
                .andExpect(status().isFound()).andExpect(redirectedUrlPattern("/evaluations/*"));
        assertThat(repository.count(null)).isEqualTo(before + 1);
    }

    @Test
    void theSubmitFormTakesArgumentsOnePerLineAndAnExpectedOutput() throws Exception {
        assertThat(page("/evaluations/new")).contains("name=\"args\"").contains("name=\"expectedOutput\"")
                .contains("<option value=\"numeric\"");
        long before = repository.count(null);
        String refused = mvc.perform(post("/evaluations").with(ADMIN).with(csrf()).param("code", "print(1)")
                        .param("args", "ok\n" + "x".repeat(5000)).param("compareMode", "fuzzy").param("tolerance", "lots"))
                .andExpect(status().isUnprocessableContent()).andReturn().getResponse().getContentAsString();
        assertThat(refused).contains("Tolerance must be a number");
        assertThat(repository.count(null)).isEqualTo(before);
        String location = mvc.perform(post("/evaluations").with(ADMIN).with(csrf()).param("code", "print(1)")
                        .param("args", "two words\r\n$(id)\r\n").param("expectedOutput", "1").param("compareMode", "tokens")
                        .param("tolerance", ""))
                .andExpect(status().isFound()).andReturn().getResponse().getRedirectedUrl();
        var submitted = repository.findById(location.substring(location.lastIndexOf('/') + 1)).orElseThrow();
        assertThat(submitted.args()).containsExactly("two words", "$(id)");
        assertThat(submitted.expectation().expected()).isEqualTo("1");
        assertThat(submitted.expectation().mode().wire()).isEqualTo("tokens");
        String refusedArgs = mvc.perform(post("/evaluations").with(ADMIN).with(csrf()).param("code", "print(1)")
                        .param("args", "ok\n" + "x".repeat(5000)).param("compareMode", "fuzzy"))
                .andExpect(status().isUnprocessableContent()).andReturn().getResponse().getContentAsString();
        assertThat(refusedArgs).contains("at most 4096 bytes").contains("compare_mode must be one of");
    }

    @Test
    void theEvaluationPageShowsEverythingEscaped() throws Exception {
        String html = page("/evaluations/" + queuedId);
        assertThat(html).contains(queuedId).contains("status-queued").contains("position")
                .contains("print(&#39;&lt;b&gt;hi&lt;/b&gt;&#39;)").doesNotContain("<b>hi</b>")
                .contains("64 MiB").contains("500m").contains("5 s")
                .contains("data-events=\"/api/eval/" + queuedId + "/events\"").doesNotContain("hx-trigger=\"every 1s\"")
                .contains("Cancel");
        assertThat(html.split("class=\"line\"", -1)).hasSize(3);
        mvc.perform(get("/evaluations/20000101_000000_00000000").with(ADMIN)).andExpect(status().isNotFound());
    }

    @Test
    void theEvaluationPageShowsTheVerdictTheExpectedOutputTheArgumentsAndWhatTheRunUsed() throws Exception {
        String id = service.submit(new Submission("print(1)", "python", 5, "64Mi", "500m", "", null, null,
                java.util.List.of("--n", "<i>x</i>"), "3.14", "numeric", 0.01,
                java.util.List.of(new dev.crucible.evaluation.ProgramFile("lib/<u>.py", "X = '<s>'")))).evaluation().id();
        jdbc.sql("""
                UPDATE evaluation SET status = 'completed', exit_code = 0, output = '3.1416', stdout = '3.1416', stderr = '',
                  runtime_ms = 30, cpu_time_ms = 21, peak_memory_kb = 9300, completed_at = CURRENT_TIMESTAMP WHERE id = :id
                """).param("id", id).update();
        try {
            String html = page("/evaluations/" + id);
            assertThat(html).contains("verdict-passed").contains("compared: numeric, tolerance 0.01").contains("3.14")
                    .contains("21 ms").contains("9.1 MiB").contains("--n").contains("&lt;i&gt;x&lt;/i&gt;")
                    .doesNotContain("<i>x</i>").contains("lib/&lt;u&gt;.py").contains("X = &#39;&lt;s&gt;&#39;")
                    .doesNotContain("<u>").doesNotContain("<s>");
        } finally {
            // the other tests of this class count the completed ones
            jdbc.sql("DELETE FROM evaluation WHERE id = :id").param("id", id).update();
        }
    }

    @Test
    void anEndedEvaluationStopsPollingAndShowsItsOutputEscaped() throws Exception {
        jdbc.sql("""
                UPDATE evaluation SET status = 'failed', exit_code = 1, failure_reason = 'nonzero_exit',
                  output = '<script>alert(1)</script>', stdout = '<script>alert(1)</script>', stderr = 'boom',
                  output_truncated = TRUE, completed_at = CURRENT_TIMESTAMP WHERE id = :id
                """).param("id", queuedId).update();
        String panel = page("/evaluations/" + queuedId + "/panel");
        assertThat(panel).startsWith("<section id=\"panel\"").doesNotContain("hx-trigger").contains("status-failed")
                .contains("nonzero_exit").contains("&lt;script&gt;alert(1)&lt;/script&gt;").doesNotContain("<script>alert")
                .contains("cut off at the output limit");
    }

    @Test
    void cancelAndRerunWorkFromThePage() throws Exception {
        mvc.perform(post("/evaluations/" + queuedId + "/cancel").with(ADMIN).with(csrf()))
                .andExpect(status().isFound());
        assertThat(repository.statusOf(queuedId)).contains(EvaluationStatus.CANCELLED);
        String location = mvc.perform(post("/evaluations/" + queuedId + "/rerun").with(ADMIN).with(csrf()))
                .andExpect(status().isFound()).andReturn().getResponse().getRedirectedUrl();
        String copyId = location.substring("/evaluations/".length());
        assertThat(copyId).isNotEqualTo(queuedId);
        var copy = service.get(copyId);
        var original = service.get(queuedId);
        assertThat(copy.code()).isEqualTo(original.code());
        assertThat(copy.stdin()).isEqualTo("input");
        assertThat(copy.limits()).isEqualTo(original.limits());
        assertThat(copy.status()).isEqualTo(EvaluationStatus.QUEUED);
    }

    @Test
    void rerunKeepsTestCasesWithTheirCompareModeAndTheCompileTimeout() throws Exception {
        String id = service.submit(new dev.crucible.evaluation.Submission("print(float(input()))", "python", null, null, null,
                null, null, null, null, null, "numeric", 0.01, null, null, java.util.List.of(
                        new dev.crucible.evaluation.TestCase("half", "0.5", "0.5", java.util.List.of("x"))))).evaluation().id();
        String location = mvc.perform(post("/evaluations/" + id + "/rerun").with(ADMIN).with(csrf()))
                .andExpect(status().isFound()).andReturn().getResponse().getRedirectedUrl();
        var copy = service.get(location.substring("/evaluations/".length()));
        assertThat(copy.id()).isNotEqualTo(id);
        assertThat(copy.testCases()).singleElement().satisfies(c -> {
            assertThat(c.name()).isEqualTo("half");
            assertThat(c.expectedOutput()).isEqualTo("0.5");
            assertThat(c.args()).containsExactly("x");
            assertThat(c.compareMode()).isEqualTo("numeric");
            assertThat(c.tolerance()).isEqualTo(0.01);
        });
        jdbc.sql("DELETE FROM evaluation WHERE id IN (:ids)").param("ids", java.util.List.of(id, copy.id())).update();
    }

    @Test
    void apiKeysAreMadeShownOnceAndRevoked() throws Exception {
        var made = mvc.perform(post("/keys").with(ADMIN).with(csrf()).param("name", "grading-bot"))
                .andExpect(status().isFound()).andExpect(flash().attributeExists("created")).andReturn();
        ApiKeys.Created created = (ApiKeys.Created) made.getFlashMap().get("created");
        assertThat(created.secret()).startsWith("crk_");
        assertThat(created.signingSecret()).startsWith("whsec_");
        String shown = mvc.perform(get("/keys").with(ADMIN).flashAttr("created", created)).andReturn().getResponse()
                .getContentAsString();
        assertThat(shown).contains(created.secret()).contains(created.signingSecret());
        String list = page("/keys");
        assertThat(list).contains("grading-bot").contains(created.key().prefix()).doesNotContain(created.secret())
                .doesNotContain(created.signingSecret());
        mvc.perform(post("/keys/" + created.key().id() + "/revoke").with(ADMIN).with(csrf())).andExpect(status().isFound());
        assertThat(keys.authenticate(created.secret())).isEmpty();
        mvc.perform(post("/keys").with(ADMIN).with(csrf()).param("name", " "))
                .andExpect(flash().attributeExists("error"));
    }
}
