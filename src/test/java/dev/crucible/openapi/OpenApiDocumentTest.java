package dev.crucible.openapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import dev.crucible.support.Api;
import dev.crucible.support.ApiContract;
import dev.crucible.support.TempStorageInitializer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import tools.jackson.databind.JsonNode;

/**
 * The published contract itself: readable with an API key (and by the admin, who also browses
 * it), not by strangers; every endpoint of the API is in it with its methods; every operation
 * names its error answers with their bodies; the names are the wire's (snake_case). That the
 * answers keep to it is checked on every API test's answers ({@code ApiContract}).
 */
@SpringBootTest(properties = {"crucible.api.token=openapi-test-token", "crucible.docker.host=unix:///nonexistent/docker.sock"})
@AutoConfigureMockMvc
@ContextConfiguration(initializers = TempStorageInitializer.class)
class OpenApiDocumentTest {

    @Autowired
    MockMvc mvc;

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mappings;

    JsonNode document() throws Exception {
        String body = mvc.perform(get("/v3/api-docs").header("Authorization", "Bearer openapi-test-token"))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        return Api.JSON.readTree(body);
    }

    @Test
    void aKeyOrTheAdminReadsItAStrangerDoesNot() throws Exception {
        mvc.perform(get("/v3/api-docs")).andExpect(status().isUnauthorized());
        mvc.perform(get("/v3/api-docs").header("Authorization", "Bearer not-a-key")).andExpect(status().isUnauthorized());
        mvc.perform(get("/v3/api-docs").with(user("admin").roles("ADMIN"))).andExpect(status().isOk());
        // the browsable UI is the admin's: a stranger is sent to the login page
        assertThat(mvc.perform(get("/swagger-ui/index.html")).andReturn().getResponse().getRedirectedUrl()).endsWith("/login");
        mvc.perform(get("/swagger-ui/index.html").with(user("admin").roles("ADMIN"))).andExpect(status().isOk());
    }

    @Test
    void everyEndpointOfTheApiIsInItWithItsMethods() throws Exception {
        JsonNode paths = document().get("paths");
        Set<String> served = new TreeSet<>();
        mappings.getHandlerMethods().forEach((info, method) -> info.getPatternValues().stream()
                .filter(p -> p.startsWith("/api/") || p.equals("/health"))
                .forEach(p -> info.getMethodsCondition().getMethods().forEach(m ->
                        served.add(m.name().toLowerCase() + " " + p.replace("{*", "{")))));
        Set<String> documented = new TreeSet<>();
        paths.propertyNames().forEach(p -> paths.get(p).propertyNames().forEach(m -> documented.add(m + " " + p)));
        assertThat(documented).containsAll(served);
        assertThat(served).hasSizeGreaterThan(25);
    }

    @Test
    void everyOperationNamesItsErrorsWithTheirBodiesAndTheWireNames() throws Exception {
        JsonNode document = document();
        assertThat(document.get("openapi").asString()).startsWith("3.1");
        List<String> missing = new ArrayList<>();
        document.get("paths").properties().forEach(path -> path.getValue().properties().forEach(op -> {
            JsonNode responses = op.getValue().get("responses");
            for (String code : List.of("500", "503")) {
                if (!responses.has(code) || !responses.get(code).has("content")) {
                    missing.add(op.getKey() + " " + path.getKey() + " " + code);
                }
            }
            if (path.getKey().contains("{") && !responses.has("404")) {
                missing.add(op.getKey() + " " + path.getKey() + " 404");
            }
        }));
        assertThat(missing).isEmpty();
        JsonNode schemas = document.get("components").get("schemas");
        assertThat(schemas.get("EvaluationView").get("properties").has("eval_id")).isTrue();
        assertThat(schemas.get("EvaluationView").get("properties").has("evalId")).isFalse();
        assertThat(schemas.get("Submission").get("required").toString()).contains("code");
        JsonNode submit = document.get("paths").get("/api/eval").get("post");
        assertThat(submit.get("responses").propertyNames()).contains("200", "202", "400", "401", "413", "422", "503");
        assertThat(submit.get("requestBody").get("content").get("application/json").get("schema").get("$ref").asString())
                .endsWith("/Submission");
        JsonNode events = document.get("paths").get("/api/eval/{evalId}/events").get("get");
        assertThat(events.get("responses").get("200").get("content").has("text/event-stream")).isTrue();
        assertThat(events.get("responses").get("200").get("content").get("text/event-stream").get("example").asString())
                .contains("event:output");
    }

    @Test
    void everyOperationIsInOneOfTheDocumentsGroupsWithAReadableName() throws Exception {
        JsonNode document = document();
        List<String> groups = new ArrayList<>();
        document.get("tags").forEach(tag -> {
            groups.add(tag.get("name").asString());
            assertThat(tag.get("description").asString()).as(tag.toString()).isNotBlank();
        });
        assertThat(groups).startsWith("Evaluations").contains("Live output", "Batches", "Callbacks", "Health")
                .doesNotHaveDuplicates().allSatisfy(name -> assertThat(name).doesNotContain("controller"));
        List<String> astray = new ArrayList<>();
        Set<String> used = new TreeSet<>();
        document.get("paths").properties().forEach(path -> path.getValue().properties().forEach(op -> {
            List<String> tags = new ArrayList<>();
            op.getValue().get("tags").forEach(t -> tags.add(t.asString()));
            used.addAll(tags);
            if (tags.size() != 1 || !groups.contains(tags.get(0))) {
                astray.add(op.getKey() + " " + path.getKey() + " " + tags);
            }
        }));
        assertThat(astray).isEmpty();
        assertThat(used).as("no group is empty").containsExactlyInAnyOrderElementsOf(groups);
    }

    @Test
    void everyOperationAndFieldIsDescribed() throws Exception {
        JsonNode document = document();
        List<String> undescribed = new ArrayList<>();
        document.get("paths").properties().forEach(path -> path.getValue().properties().forEach(op -> {
            if (!op.getValue().has("summary") || op.getValue().get("summary").asString().isBlank()) {
                undescribed.add(op.getKey() + " " + path.getKey());
            }
        }));
        JsonNode schemas = document.get("components").get("schemas");
        schemas.properties().forEach(schema -> {
            JsonNode properties = schema.getValue().get("properties");
            if (properties != null) {
                properties.properties().forEach(property -> {
                    if (!described(schemas, property.getValue())) {
                        undescribed.add(schema.getKey() + "." + property.getKey());
                    }
                });
            }
        });
        assertThat(undescribed).isEmpty();
    }

    /** Described itself, or a bare reference to a schema that is. */
    private static boolean described(JsonNode schemas, JsonNode property) {
        if (property.has("description") && !property.get("description").asString().isBlank()) {
            return true;
        }
        if (property.has("$ref")) {
            JsonNode target = schemas.get(property.get("$ref").asString().replace("#/components/schemas/", ""));
            return target != null && target.has("description");
        }
        return false;
    }

    @Test
    void everyJsonAnswerHasAnExampleThatFitsItsSchema() throws Exception {
        JsonNode document = document();
        List<String> missing = new ArrayList<>();
        List<String> unfit = new ArrayList<>();
        document.get("paths").properties().forEach(path -> path.getValue().properties().forEach(op ->
                op.getValue().get("responses").properties().forEach(response -> {
                    JsonNode content = response.getValue().get("content");
                    if (content == null || !content.has("application/json")) {
                        return;
                    }
                    String where = op.getKey() + " " + path.getKey() + " " + response.getKey();
                    JsonNode media = content.get("application/json");
                    JsonNode schema = media.get("schema");
                    JsonNode example = media.has("example") ? media.get("example")
                            : media.has("examples") ? media.get("examples").valueStream().findFirst().orElseThrow().get("value")
                            : example(document, schema);
                    if (example == null) {
                        missing.add(where);
                    } else if (!example.isString()) {
                        unfit.addAll(ApiContract.misfits(document, example, schema).stream().map(p -> where + ": " + p).toList());
                    }
                })));
        assertThat(missing).isEmpty();
        assertThat(unfit).isEmpty();
    }

    /** The example of the schema an answer refers to, if it has one. */
    private static JsonNode example(JsonNode document, JsonNode schema) {
        if (schema == null || !schema.has("$ref")) {
            return schema == null ? null : schema.get("example");
        }
        JsonNode target = document.get("components").get("schemas")
                .get(schema.get("$ref").asString().replace("#/components/schemas/", ""));
        return target == null ? null : target.get("example");
    }

    @Test
    void theGlossaryAndTheExamplesNameOnlyWhatTheDocumentHas() throws Exception {
        JsonNode document = document();
        JsonNode schemas = document.get("components").get("schemas");
        java.util.Properties glossary = new java.util.Properties();
        try (var in = new java.io.InputStreamReader(new org.springframework.core.io.ClassPathResource(FieldDescriptions.GLOSSARY)
                .getInputStream(), java.nio.charset.StandardCharsets.UTF_8)) {
            glossary.load(in);
        }
        List<String> stale = new ArrayList<>();
        for (String key : glossary.stringPropertyNames()) {
            boolean names;
            if (key.startsWith("schema.")) {
                names = schemas.has(key.substring("schema.".length()));
            } else if (key.contains(".")) {
                JsonNode schema = schemas.get(key.substring(0, key.indexOf('.')));
                names = schema != null && schema.has("properties") && schema.get("properties").has(key.substring(key.indexOf('.') + 1));
            } else {
                names = schemas.valueStream().anyMatch(schema -> schema.has("properties") && schema.get("properties").has(key));
            }
            if (!names) {
                stale.add(key);
            }
        }
        JsonNode examples = Api.JSON.readTree(new org.springframework.core.io.ClassPathResource(AnswerExamples.EXAMPLES)
                .getContentAsString(java.nio.charset.StandardCharsets.UTF_8));
        for (String key : examples.propertyNames()) {
            String[] parts = key.split(" ");
            JsonNode answer = document.get("paths").path(parts[1]).path(parts[0]).path("responses").path(parts[2]);
            if (!answer.path("content").has("application/json")) {
                stale.add(key);
            }
        }
        assertThat(stale).isEmpty();
        assertThat(glossary).hasSizeGreaterThan(100);
        assertThat(examples.size()).isGreaterThan(20);
    }
}
