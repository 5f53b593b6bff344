package dev.crucible.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.multipart;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrlPattern;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.util.List;

import dev.crucible.evaluation.Submission;
import dev.crucible.support.Archives;
import dev.crucible.support.TempStorageInitializer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.mock.web.MockMultipartFile;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.RequestPostProcessor;

/** The batch pages, server-rendered (Docker pointed nowhere: the batches stay queued). */
@SpringBootTest(properties = "crucible.docker.host=unix:///nonexistent/docker.sock")
@AutoConfigureMockMvc
@ContextConfiguration(initializers = TempStorageInitializer.class)
class BatchPagesTest {

    static final RequestPostProcessor ADMIN = user("admin").roles("ADMIN");

    @Autowired
    MockMvc mvc;

    @Autowired
    BatchService service;

    @Autowired
    BatchRepository batches;

    /**
     * Docker is away here, so a batch would wait for its evaluations forever: cancel it, so its
     * job ends. (Spring Batch keeps step contexts in a JVM-wide map keyed by step execution id,
     * so jobs of two test application contexts, each with its own database, must not overlap.)
     */
    @org.junit.jupiter.api.AfterEach
    void endTheJobs() {
        batches.list(1000, 0).stream().filter(b -> Batch.RUNNING.equals(b.status())).forEach(b -> service.cancel(b.id()));
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30))
                .until(() -> jobRepository.findRunningJobExecutions(BatchJobConfiguration.JOB).isEmpty());
    }

    @Autowired
    org.springframework.batch.core.repository.JobRepository jobRepository;

    String page(String path) throws Exception {
        return mvc.perform(get(path).with(ADMIN)).andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
    }

    @Test
    void theUploadPageWorksAsAPlainFormToo() throws Exception {
        String form = page("/batches/new");
        assertThat(form).contains("id=\"dropzone\"").contains("enctype=\"multipart/form-data\"").contains("manifest.csv")
                .contains("id=\"upload-bar\"");
        String location = mvc.perform(multipart("/batches").with(ADMIN).with(csrf())
                        .file(new MockMultipartFile("files", "set.zip", "application/zip",
                                Archives.zip(Archives.files("a.py", "print(1)", "b.py", "print(2)", "README", "x"))))
                        .param("name", "from the form"))
                .andExpect(status().isFound()).andExpect(redirectedUrlPattern("/batches/batch_*"))
                .andReturn().getResponse().getRedirectedUrl();
        String batch = page(location);
        assertThat(batch).contains("from the form").contains("<progress").contains("a.py").contains("README")
                .contains("status-skipped").contains("hx-trigger=\"every 2s\"").contains("Results CSV").contains("Cancel");
        String fragment = page(location + "/live");
        assertThat(fragment).startsWith("<div id=\"live\"").contains("id=\"progress\"").contains("a.py").doesNotContain("<html");
        assertThat(page("/batches")).contains("from the form");

        String refused = mvc.perform(multipart("/batches").with(ADMIN).with(csrf())
                        .file(new MockMultipartFile("files", "slip.zip", "application/zip",
                                Archives.zip(Archives.files("../x.py", "print(1)")))))
                .andExpect(status().isUnprocessableContent()).andReturn().getResponse().getContentAsString();
        assertThat(refused).contains("unsafe path in the archive");
    }

    @Autowired
    org.springframework.jdbc.core.simple.JdbcClient jdbc;

    @Test
    void theBatchPageShowsHowItsCallbackStands() throws Exception {
        var batch = service.fromJson(List.of(() -> Submission.of("print(1)", "python")));
        assertThat(page("/batches/" + batch.batchId())).doesNotContain("id=\"batch-callback\"");
        jdbc.sql("""
                UPDATE batch SET callback_url = 'https://hooks.example.com/batch', callback_status = 'failed',
                       callback_attempts = 7, callback_last_error = 'HTTP 502 (gave up after 7 tries)'
                WHERE id = :id
                """).param("id", batch.batchId()).update();
        String html = page("/batches/" + batch.batchId());
        int at = html.indexOf("id=\"batch-callback\"");
        assertThat(at).isNotNegative();
        assertThat(html.substring(at, html.indexOf("</form>", at))).contains("https://hooks.example.com/batch")
                .contains("status-failed").contains("7 tries").contains("HTTP 502 (gave up after 7 tries)")
                .contains("action=\"/batches/" + batch.batchId() + "/callback/retry\"").contains("Retry callback");
    }

    @Test
    void aJsonBatchHasAPageAndUnknownBatchesAreNotFound() throws Exception {
        var batch = service.fromJson(List.of(() -> Submission.of("print(1)", "python"), () -> Submission.of("print(2)", "python")));
        assertThat(page("/batches/" + batch.batchId())).contains("evaluations[0]").contains("evaluations[1]");
        mvc.perform(get("/batches/batch_missing").with(ADMIN)).andExpect(status().isNotFound());
    }
}
