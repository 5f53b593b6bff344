package dev.crucible.openapi;

import java.util.Map;

import dev.crucible.evaluation.DatabaseOutage;
import io.swagger.v3.core.converter.ModelConverters;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.examples.Example;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.stereotype.Component;

/**
 * What every operation of the API shares, added to the document once instead of on each
 * controller: JSON where springdoc could only say "any type", and the error answers any of them
 * may give (each with its body): 401 without a valid API key, 404 for an address with an id that
 * names nothing, 422 for a query or body that breaks a rule, 503 when the database does not
 * answer (with Retry-After), and 500, which never carries a stack trace.
 */
@Component
@org.springframework.core.annotation.Order(10)
class StandardResponses implements OpenApiCustomizer {

    @Override
    public void customise(OpenAPI api) {
        Map<String, Schema> schemas = api.getComponents().getSchemas();
        ModelConverters.getInstance(true).readAll(ErrorBodies.Error.class).forEach(schemas::putIfAbsent);
        ModelConverters.getInstance(true).readAll(ErrorBodies.ValidationError.class).forEach(schemas::putIfAbsent);
        api.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, operation) ->
                complete(path, method, operation)));
        // what springdoc makes of the stream types: they are described as their media types instead
        schemas.remove("SseEmitter");
        schemas.remove("StreamingResponseBody");
    }

    private static void complete(String path, PathItem.HttpMethod method, Operation operation) {
        ApiResponses responses = operation.getResponses();
        responses.values().forEach(StandardResponses::jsonForAnyType);
        if (responses.get("204") != null) {
            responses.get("204").setContent(null);
        }
        boolean takesInput = operation.getRequestBody() != null
                || (operation.getParameters() != null && operation.getParameters().stream().anyMatch(p -> "query".equals(p.getIn())));
        if (!path.equals("/health") && !path.equals("/api/health")) {
            responses.putIfAbsent("401", error("No API key, or one that is not valid (any more)",
                    "An API key is required. Send an API key as 'Authorization: Bearer <key>' or 'X-API-Key: <key>'."));
        }
        if (path.contains("{")) {
            responses.putIfAbsent("404", error("Nothing has this id", "Evaluation not found"));
        }
        if (takesInput) {
            responses.putIfAbsent("422", new ApiResponse().description("A field or parameter breaks a rule; nothing was changed")
                    .content(json("#/components/schemas/ValidationError", null)));
        }
        responses.putIfAbsent("503", error("The database does not answer (Retry-After says when to try again); nothing was changed",
                DatabaseOutage.MESSAGE));
        responses.putIfAbsent("500", error("The platform failed; its log has the details", "Internal error; the platform's log has the details"));
    }

    /** springdoc says {@code *}/{@code *} where a controller returns a type it cannot see through: the API answers JSON. */
    private static void jsonForAnyType(ApiResponse response) {
        Content content = response.getContent();
        if (content != null && content.containsKey("*/*")) {
            MediaType any = content.remove("*/*");
            content.addMediaType("application/json", any);
        }
    }

    static ApiResponse error(String description, String example) {
        return new ApiResponse().description(description).content(json("#/components/schemas/Error", example));
    }

    static Content json(String schemaRef, String detailExample) {
        MediaType media = new MediaType().schema(new Schema<>().$ref(schemaRef));
        if (detailExample != null) {
            media.addExamples("example", new Example().value(Map.of("detail", detailExample, "error", detailExample)));
        }
        return new Content().addMediaType("application/json", media);
    }
}
