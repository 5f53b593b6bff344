package dev.crucible.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestBuilders.formLogin;
import static org.springframework.security.test.web.servlet.response.SecurityMockMvcResultMatchers.authenticated;
import static org.springframework.security.test.web.servlet.response.SecurityMockMvcResultMatchers.unauthenticated;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.crucible.support.TempStorageInitializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.RequestPostProcessor;

/**
 * Who gets in: the admin's login for pages, keys (or protected mode) for the API, CSRF on forms,
 * the security headers. Docker is pointed nowhere: nothing here runs a container.
 */
@SpringBootTest(properties = {"crucible.admin.password=right-password", "crucible.docker.host=unix:///nonexistent/docker.sock"})
@AutoConfigureMockMvc
@ContextConfiguration(initializers = TempStorageInitializer.class)
class SecurityTest {

    static final String SUBMISSION = "{\"code\": \"print(1)\"}";

    @Autowired
    MockMvc mvc;

    @Autowired
    ApiKeys keys;

    @Autowired
    JdbcClient jdbc;

    @AfterEach
    void noKeysLeft() {
        keys.list().stream().filter(ApiKeys.ApiKey::active).forEach(k -> keys.revoke(k.id()));
    }

    static RequestPostProcessor from(String address) {
        return request -> {
            request.setRemoteAddr(address);
            return request;
        };
    }

    static RequestPostProcessor host(String name) {
        return request -> {
            ((MockHttpServletRequest) request).setServerName(name);
            return request;
        };
    }

    @Test
    void pagesSendStrangersToTheLoginPage() throws Exception {
        mvc.perform(get("/")).andExpect(status().isFound()).andExpect(redirectedUrl("/login"));
        mvc.perform(get("/evaluations/new")).andExpect(status().isFound()).andExpect(redirectedUrl("/login"));
        mvc.perform(get("/keys")).andExpect(status().isFound()).andExpect(redirectedUrl("/login"));
        mvc.perform(get("/login")).andExpect(status().isOk());
    }

    @Test
    void healthTellsStrangersTheOverallStatusOnly() throws Exception {
        int health = mvc.perform(get("/health").with(from("10.1.2.3"))).andReturn().getResponse().getStatus();
        assertThat(health).isIn(200, 503);
        // no database or Docker error text, no registry account for whoever asks
        mvc.perform(get("/health").with(from("10.1.2.3")))
                .andExpect(jsonPath("$.status").exists())
                .andExpect(jsonPath("$.timestamp").exists())
                .andExpect(jsonPath("$.services").doesNotExist());
        mvc.perform(get("/api/health").with(from("10.1.2.3"))).andExpect(jsonPath("$.services").doesNotExist());
        mvc.perform(get("/health").with(from("127.0.0.1")).with(host("127.attacker.example")))
                .andExpect(jsonPath("$.services").doesNotExist());
        mvc.perform(get("/actuator/health").with(from("10.1.2.3"))).andExpect(jsonPath("$.status").exists())
                .andExpect(jsonPath("$.components").doesNotExist());

        // this machine, a key or the admin's session see everything
        mvc.perform(get("/health").with(from("127.0.0.1"))).andExpect(jsonPath("$.services.database").value("healthy"));
        mvc.perform(get("/health").with(from("10.1.2.3")).with(user("admin").roles("ADMIN")))
                .andExpect(jsonPath("$.services.database").value("healthy"));
        ApiKeys.Created created = keys.create("monitor");
        mvc.perform(get("/health").with(from("10.1.2.3")).header("X-API-Key", created.secret()))
                .andExpect(jsonPath("$.services.database").value("healthy"));
        mvc.perform(get("/api/health").with(from("10.1.2.3")).header("Authorization", "Bearer " + created.secret()))
                .andExpect(jsonPath("$.services.database").value("healthy"));
        // with a key in existence, this machine still sees it all (the container's own health check)
        mvc.perform(get("/health").with(from("127.0.0.1"))).andExpect(jsonPath("$.services.database").value("healthy"));
    }

    static org.springframework.test.web.servlet.RequestBuilder login(String user, String password, String address) {
        return post("/login").param("username", user).param("password", password).with(csrf()).with(from(address));
    }

    @Test
    void failedLoginsAreThrottledPerUserAndAddress() throws Exception {
        for (int i = 0; i < 5; i++) {
            mvc.perform(login("admin", "guess-" + i, "10.9.8.7")).andExpect(unauthenticated())
                    .andExpect(redirectedUrl("/login?error"));
        }
        var throttled = mvc.perform(login("admin", "guess-6", "10.9.8.7")).andExpect(unauthenticated())
                .andExpect(status().isTooManyRequests()).andReturn().getResponse();
        assertThat(Long.parseLong(throttled.getHeader("Retry-After"))).isPositive();
        assertThat(throttled.getContentAsString()).contains("Too many failed sign-ins");
        // while throttled, even the right password waits: a guesser learns nothing
        mvc.perform(login("admin", "right-password", "10.9.8.7")).andExpect(status().isTooManyRequests())
                .andExpect(unauthenticated());
        // the admin elsewhere is not locked out by someone guessing
        mvc.perform(login("admin", "right-password", "10.9.8.8")).andExpect(authenticated());
    }

    @Test
    void aSuccessfulLoginClearsEarlierFailures() throws Exception {
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < 4; i++) {
                mvc.perform(login("admin", "typo-" + i, "10.9.8.9")).andExpect(redirectedUrl("/login?error"));
            }
            mvc.perform(login("admin", "right-password", "10.9.8.9")).andExpect(authenticated());
        }
    }

    @Test
    void theAdminLogsInWithTheRightPasswordOnly() throws Exception {
        mvc.perform(formLogin("/login").user("admin").password("right-password"))
                .andExpect(authenticated().withUsername("admin")).andExpect(redirectedUrl("/"));
        mvc.perform(formLogin("/login").user("admin").password("wrong-password"))
                .andExpect(unauthenticated()).andExpect(redirectedUrl("/login?error"));
        mvc.perform(formLogin("/login").user("root").password("right-password")).andExpect(unauthenticated());
        String hash = jdbc.sql("SELECT password_hash FROM admin_account").query(String.class).single();
        assertThat(hash).startsWith("{bcrypt}").doesNotContain("right-password");
    }

    @Test
    void withoutAnyKeyTheApiAnswersOnlyThisMachine() throws Exception {
        mvc.perform(get("/api/queue/status").with(from("127.0.0.1"))).andExpect(status().isOk());
        mvc.perform(get("/api/queue/status").with(from("::1"))).andExpect(status().isOk());
        accepted(post("/api/eval").with(from("127.0.0.1")).contentType(MediaType.APPLICATION_JSON).content(SUBMISSION));

        mvc.perform(get("/api/queue/status").with(from("192.168.1.20")))
                .andExpect(status().isUnauthorized())
                .andExpect(header().string("WWW-Authenticate", "Bearer realm=\"crucible\""))
                .andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.containsString("protected mode")))
                .andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.containsString("/keys")));
        // a web page of another origin in a local browser, and DNS rebinding, do not count as local
        mvc.perform(post("/api/eval").with(from("127.0.0.1")).header("Origin", "https://evil.example")
                .contentType(MediaType.APPLICATION_JSON).content(SUBMISSION)).andExpect(status().isUnauthorized());
        mvc.perform(post("/api/eval").with(from("127.0.0.1")).header("Sec-Fetch-Site", "cross-site")
                .contentType(MediaType.APPLICATION_JSON).content(SUBMISSION)).andExpect(status().isUnauthorized());
        mvc.perform(get("/api/queue/status").with(from("127.0.0.1")).with(host("evil.example")))
                .andExpect(status().isUnauthorized());
    }

    @Test
    void onceAKeyExistsEveryApiRequestNeedsOne() throws Exception {
        ApiKeys.Created created = keys.create("ci");
        mvc.perform(get("/api/queue/status").with(from("127.0.0.1")))
                .andExpect(status().isUnauthorized())
                .andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.containsString("An API key is required")));
        mvc.perform(get("/api/queue/status").with(from("10.0.0.7")).header("Authorization", "Bearer " + created.secret()))
                .andExpect(status().isOk());
        mvc.perform(get("/api/queue/status").with(from("10.0.0.7")).header("X-API-Key", created.secret()))
                .andExpect(status().isOk());
        // a key needs no CSRF token
        accepted(post("/api/eval").with(from("10.0.0.7")).header("X-API-Key", created.secret())
                .contentType(MediaType.APPLICATION_JSON).content(SUBMISSION));
        mvc.perform(get("/api/queue/status").with(from("10.0.0.7")).header("X-API-Key", created.secret() + "x"))
                .andExpect(status().isUnauthorized())
                .andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.containsString("Invalid or revoked API key")));

        assertThat(keys.revoke(created.key().id())).isTrue();
        mvc.perform(get("/api/queue/status").with(from("10.0.0.7")).header("X-API-Key", created.secret()))
                .andExpect(status().isUnauthorized());
        assertThat(jdbc.sql("SELECT key_hash FROM api_key").query(String.class).single())
                .doesNotContain(created.secret()).hasSize(64);
    }

    @Test
    void theAdminsSessionReachesTheApiButUnsafeCallsNeedTheCsrfToken() throws Exception {
        var admin = user("admin").roles("ADMIN");
        mvc.perform(get("/api/queue/status").with(from("10.0.0.7")).with(admin)).andExpect(status().isOk());
        mvc.perform(get("/api/evaluations.csv").with(from("10.0.0.7")).with(admin)).andExpect(status().isOk());
        mvc.perform(post("/api/eval").with(from("10.0.0.7")).with(admin).with(session())
                .contentType(MediaType.APPLICATION_JSON).content(SUBMISSION)).andExpect(status().isForbidden());
        accepted(post("/api/eval").with(from("10.0.0.7")).with(admin).with(session()).with(csrf())
                .contentType(MediaType.APPLICATION_JSON).content(SUBMISSION));
    }

    @Test
    void everyFormNeedsTheCsrfToken() throws Exception {
        var admin = user("admin").roles("ADMIN");
        mvc.perform(post("/evaluations").with(admin).param("code", "print(1)").param("language", "python"))
                .andExpect(status().isForbidden());
        mvc.perform(post("/evaluations").with(admin).with(csrf()).param("code", "print(1)").param("language", "python"))
                .andExpect(status().isFound());
        mvc.perform(post("/keys").with(admin).param("name", "x")).andExpect(status().isForbidden());
        mvc.perform(post("/logout").with(admin)).andExpect(status().isForbidden());
        mvc.perform(post("/logout").with(admin).with(csrf())).andExpect(redirectedUrl("/login?logout"));
    }

    @Test
    void answersCarryTheSecurityHeaders() throws Exception {
        var response = mvc.perform(get("/login")).andReturn().getResponse();
        String csp = response.getHeader("Content-Security-Policy");
        assertThat(csp).contains("script-src 'self'").contains("frame-ancestors 'none'").doesNotContain("unsafe-inline")
                .doesNotContain("unsafe-eval");
        assertThat(response.getHeader("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(response.getHeader("X-Frame-Options")).isEqualTo("DENY");
        assertThat(response.getContentAsString()).doesNotContain("<script>").doesNotContain("style=\"");
    }

    /** Submissions answer through Spring MVC's async support (the same method serves ?wait=true). */
    void accepted(org.springframework.test.web.servlet.RequestBuilder submission) throws Exception {
        var started = mvc.perform(submission).andReturn();
        mvc.perform(org.springframework.test.web.servlet.request.MockMvcRequestBuilders.asyncDispatch(started))
                .andExpect(status().isAccepted());
    }

    /** A request that carries a session cookie, as a browser's does. */
    static RequestPostProcessor session() {
        return request -> {
            request.setRequestedSessionId("browser-session");
            return request;
        };
    }
}
