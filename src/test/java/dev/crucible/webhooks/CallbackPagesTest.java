package dev.crucible.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.crucible.evaluation.EvaluationService;
import dev.crucible.evaluation.Submission;
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
 * The admin's view of callbacks: the list of those that failed (or are pending, or were
 * delivered), of evaluations and batches alike, and the retries from it and from the batch page.
 * Docker is pointed nowhere and the delivery state is set on the rows, so nothing is sent here
 * (WebhooksTest sends for real).
 */
@SpringBootTest(properties = {"crucible.docker.host=unix:///nonexistent/docker.sock",
        "crucible.webhooks.allowed-hosts=127.0.0.1"})
@AutoConfigureMockMvc
@ContextConfiguration(initializers = TempStorageInitializer.class)
class CallbackPagesTest {

    static final RequestPostProcessor ADMIN = user("admin").roles("ADMIN");

    @Autowired
    MockMvc mvc;

    @Autowired
    EvaluationService evaluations;

    @Autowired
    JdbcClient jdbc;

    String failedEval;
    String deliveredEval;
    String failedBatch;

    @BeforeEach
    void callbacksInEveryState() {
        jdbc.sql("UPDATE evaluation SET callback_status = NULL, callback_url = NULL").update();
        jdbc.sql("UPDATE batch SET callback_status = NULL, callback_url = NULL").update();
        failedEval = ended("http://127.0.0.1:9/grader", "failed", 9, "HTTP 503 (gave up after 9 tries)");
        deliveredEval = ended("http://127.0.0.1:9/ok", "delivered", 1, null);
        failedBatch = "batch_20261203_050000_" + Long.toHexString(System.nanoTime()).substring(0, 8);
        jdbc.sql("""
                INSERT INTO batch (id, name, kind, status, total, created_at, finished_at, callback_url, callback_status,
                                   callback_attempts, callback_last_error)
                VALUES (:id, 'nightly <grading>', 'json', 'completed', 0, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP,
                        'http://127.0.0.1:9/batch-hook', 'failed', 4, 'connection refused (gave up after 4 tries)')
                """).param("id", failedBatch).update();
    }

    String ended(String url, String callbackStatus, int attempts, String lastError) {
        String id = evaluations.submit(Submission.of("print(1)", "python")).evaluation().id();
        jdbc.sql("""
                UPDATE evaluation SET status = 'completed', completed_at = CURRENT_TIMESTAMP, callback_url = :url,
                       callback_status = :status, callback_attempts = :attempts, callback_last_error = :error
                WHERE id = :id
                """).param("url", url).param("status", callbackStatus).param("attempts", attempts)
                .param("error", lastError).param("id", id).update();
        return id;
    }

    String page(String path) throws Exception {
        return mvc.perform(get(path).with(ADMIN)).andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
    }

    String statusOf(String table, String id) {
        return jdbc.sql("SELECT callback_status FROM " + table + " WHERE id = :id").param("id", id).query(String.class).single();
    }

    @Test
    void theFailedCallbacksOfEvaluationsAndBatchesAreListedWithWhyTheyFailed() throws Exception {
        String html = page("/callbacks");
        assertThat(html).contains("href=\"/evaluations/" + failedEval + "\"").contains("http://127.0.0.1:9/grader")
                .contains("HTTP 503 (gave up after 9 tries)").contains("href=\"/batches/" + failedBatch + "\"")
                .contains("http://127.0.0.1:9/batch-hook").contains("connection refused (gave up after 4 tries)")
                .contains("2 failed").doesNotContain(deliveredEval).contains("Retry all 2 failed");
        // the other states are one filter away; an unknown one is a clear 400
        assertThat(page("/callbacks?status=delivered")).contains(deliveredEval).doesNotContain(failedEval)
                .doesNotContain("Retry all");
        String refused = mvc.perform(get("/callbacks?status=lost").with(ADMIN)).andExpect(status().isBadRequest())
                .andReturn().getResponse().getContentAsString();
        assertThat(refused).contains("status must be one of failed, pending, delivered");
        // every page links to the list, and its header counters say how many have failed (only when some have)
        assertThat(page("/")).contains("href=\"/callbacks\"");
        assertThat(page("/ui/counters")).contains("<b>2</b> failed callbacks");
        jdbc.sql("UPDATE evaluation SET callback_status = 'delivered'").update();
        jdbc.sql("UPDATE batch SET callback_status = 'delivered'").update();
        assertThat(page("/ui/counters")).doesNotContain("failed callbacks");
        // only admins see it
        mvc.perform(get("/callbacks")).andExpect(status().is3xxRedirection());
    }

    @Test
    void aBatchsFailedCallbackIsRetriedFromItsPage() throws Exception {
        assertThat(page("/batches/" + failedBatch)).contains("action=\"/batches/" + failedBatch + "/callback/retry\"")
                .contains("Retry callback");
        mvc.perform(post("/batches/" + failedBatch + "/callback/retry").with(ADMIN).with(csrf()))
                .andExpect(status().is3xxRedirection()).andExpect(redirectedUrl("/batches/" + failedBatch));
        assertThat(statusOf("batch", failedBatch)).isEqualTo("pending"); // (its receiver is still away: it stays pending)
        assertThat(jdbc.sql("SELECT callback_attempts FROM batch WHERE id = :id").param("id", failedBatch)
                .query(Integer.class).single()).isGreaterThanOrEqualTo(4);
        // a callback that is not failed is not retried, and the page says so
        jdbc.sql("UPDATE batch SET callback_status = 'delivered' WHERE id = :id").param("id", failedBatch).update();
        mvc.perform(post("/batches/" + failedBatch + "/callback/retry").with(ADMIN).with(csrf()))
                .andExpect(redirectedUrl("/batches/" + failedBatch))
                .andExpect(flash().attribute("error", "Only a failed callback can be retried."));
        mvc.perform(post("/batches/batch_20200101_000000_00000000/callback/retry").with(ADMIN).with(csrf()))
                .andExpect(status().isNotFound());
    }

    @Test
    void retryAllMakesEveryFailedCallbackDueAgainAndNothingElse() throws Exception {
        jdbc.sql("UPDATE evaluation SET callback_url = 'http://127.0.0.1:9/x', callback_status = 'pending', "
                + "callback_next_at = TIMESTAMP WITH TIME ZONE '2099-01-01 00:00:00+00' WHERE id = :id")
                .param("id", deliveredEval).update();
        mvc.perform(post("/callbacks/retry").with(ADMIN).with(csrf()))
                .andExpect(redirectedUrl("/callbacks"))
                .andExpect(flash().attribute("notice", "2 failed callbacks are due again."));
        assertThat(statusOf("evaluation", failedEval)).isEqualTo("pending");
        assertThat(statusOf("batch", failedBatch)).isEqualTo("pending");
        // a pending callback keeps its own schedule
        assertThat(jdbc.sql("SELECT callback_next_at FROM evaluation WHERE id = :id").param("id", deliveredEval)
                .query(java.time.OffsetDateTime.class).single().getYear()).isEqualTo(2099);
        // without CSRF, nothing happens
        mvc.perform(post("/callbacks/retry").with(ADMIN)).andExpect(status().isForbidden());
    }
}
