package dev.crucible.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crucible.support.Api;
import dev.crucible.support.TempStorageInitializer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ContextConfiguration;
import tools.jackson.databind.JsonNode;

/**
 * A language an operator did not enable is listed as such and refused with a 422 that says how to
 * enable it; its image is not checked (the health stays green without it). Docker is pointed
 * nowhere: nothing here runs.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"crucible.languages.rust.enabled=false", "crucible.docker.host=unix:///nonexistent/docker.sock"})
@ContextConfiguration(initializers = TempStorageInitializer.class)
class DisabledLanguageTest {

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    RuntimeImages images;

    @Test
    void aDisabledLanguageIsListedAsSuchAndRefused() {
        Api api = new Api("http://localhost:" + port);
        JsonNode rust = null;
        for (JsonNode language : api.get("/api/languages").json().get("languages")) {
            if (language.get("name").asString().equals("rust")) {
                rust = language;
            }
        }
        assertThat(rust).isNotNull();
        // the table's order does not depend on where a setting came from (this test's property comes first)
        java.util.List<String> names = new java.util.ArrayList<>();
        api.get("/api/languages").json().get("languages").forEach(l -> names.add(l.get("name").asString()));
        assertThat(names).isSorted().contains("python", "rust");
        assertThat(rust.get("enabled").asBoolean()).isFalse();
        assertThat(rust.get("compiles").asBoolean()).isTrue();

        long before = jdbc.sql("SELECT COUNT(*) FROM evaluation").query(Long.class).single();
        Api.Response refused = api.post("/api/eval", "{\"language\": \"rust\", \"code\": \"fn main() {}\"}");
        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.toString()).contains("Language 'rust' is not enabled on this platform")
                .contains("crucible.languages.rust.enabled");
        assertThat(jdbc.sql("SELECT COUNT(*) FROM evaluation").query(Long.class).single()).isEqualTo(before);
        assertThat(images.states()).doesNotContainKey("crucible-runtime/rust:1.63");
    }
}
