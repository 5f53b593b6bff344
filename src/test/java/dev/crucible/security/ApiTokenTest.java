package dev.crucible.security;

import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.crucible.support.TempStorageInitializer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.web.servlet.MockMvc;

/** CRUCIBLE_API_TOKEN is a key, and its presence ends protected mode. */
@SpringBootTest(properties = {"crucible.api.token=token-from-the-environment", "crucible.docker.host=unix:///nonexistent/docker.sock"})
@AutoConfigureMockMvc
@ContextConfiguration(initializers = TempStorageInitializer.class)
class ApiTokenTest {

    @Autowired
    MockMvc mvc;

    @Test
    void theEnvironmentsTokenIsAKeyAndLocalClientsNeedItToo() throws Exception {
        mvc.perform(get("/api/queue/status").header("Authorization", "Bearer token-from-the-environment"))
                .andExpect(status().isOk());
        mvc.perform(get("/api/queue/status")).andExpect(status().isUnauthorized());
        mvc.perform(get("/api/queue/status").header("Authorization", "Bearer token-from-elsewhere"))
                .andExpect(status().isUnauthorized());
    }
}
