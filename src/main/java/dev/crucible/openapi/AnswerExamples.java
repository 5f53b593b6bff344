package dev.crucible.openapi;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.responses.ApiResponse;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.core.annotation.Order;
import org.springframework.core.io.ClassPathResource;
import org.springframework.stereotype.Component;

/**
 * Gives each JSON answer of the document an example taken from a real answer ({@value #EXAMPLES}:
 * recorded from the API tests' answers with {@code -Dcrucible.openapi.record-examples=<file>},
 * then picked by hand, keyed {@code "<method> <path> <status>"}). An answer that has an example
 * written on its controller keeps it. OpenApiDocumentTest holds every example to its schema and
 * fails on a key that names no answer, so they cannot drift from the API.
 */
@Component
@Order(30)
class AnswerExamples implements OpenApiCustomizer {

    static final String EXAMPLES = "openapi/examples.json";

    private final JsonNode examples = load();

    static JsonNode load() {
        try (InputStream in = new ClassPathResource(EXAMPLES).getInputStream()) {
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void customise(OpenAPI api) {
        api.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, operation) ->
                exemplify(method.name().toLowerCase() + " " + path, operation)));
    }

    private void exemplify(String operation, Operation op) {
        for (Map.Entry<String, ApiResponse> response : op.getResponses().entrySet()) {
            JsonNode example = examples.get(operation + " " + response.getKey());
            if (example == null || response.getValue().getContent() == null) {
                continue;
            }
            MediaType json = response.getValue().getContent().get("application/json");
            if (json != null && json.getExample() == null && json.getExamples() == null) {
                json.setExample(example);
            }
        }
    }
}
