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
    void theEvaluationPageShowsEverythingEscaped() throws Exception {
        String html = page("/evaluations/" + queuedId);
        assertThat(html).contains(queuedId).contains("status-queued").contains("position")
                .contains("print(&#39;&lt;b&gt;hi&lt;/b&gt;&#39;)").doesNotContain("<b>hi</b>")
                .contains("64 MiB").contains("500m").contains("5 s")
                .contains("hx-trigger=\"every 1s\"").contains("Cancel");
        assertThat(html.split("class=\"line\"", -1)).hasSize(3);
        mvc.perform(get("/evaluations/20000101_000000_00000000").with(ADMIN)).andExpect(status().isNotFound());
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
    void apiKeysAreMadeShownOnceAndRevoked() throws Exception {
        var made = mvc.perform(post("/keys").with(ADMIN).with(csrf()).param("name", "grading-bot"))
                .andExpect(status().isFound()).andExpect(flash().attributeExists("created")).andReturn();
        ApiKeys.Created created = (ApiKeys.Created) made.getFlashMap().get("created");
        assertThat(created.secret()).startsWith("crk_");
        String list = page("/keys");
        assertThat(list).contains("grading-bot").contains(created.key().prefix()).doesNotContain(created.secret());
        mvc.perform(post("/keys/" + created.key().id() + "/revoke").with(ADMIN).with(csrf())).andExpect(status().isFound());
        assertThat(keys.authenticate(created.secret())).isEmpty();
        mvc.perform(post("/keys").with(ADMIN).with(csrf()).param("name", " "))
                .andExpect(flash().attributeExists("error"));
    }
}
