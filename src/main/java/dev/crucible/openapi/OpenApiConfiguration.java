package dev.crucible.openapi;

import java.util.List;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import dev.crucible.node.ServesUsers;
import io.swagger.v3.core.jackson.ModelResolver;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.tags.Tag;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springdoc.core.providers.ObjectMapperProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The REST API's OpenAPI document ({@code /v3/api-docs}, springdoc) and its browsable UI
 * ({@code /swagger-ui.html}). The document describes the API as clients see it: property names
 * in snake_case, as the API writes them (springdoc reads the models with its own Jackson, which
 * knows nothing of {@code spring.jackson.property-naming-strategy}), and the API keys as the way
 * in. Only processes that serve users publish it.
 */
@Configuration(proxyBeanMethods = false)
@ServesUsers
class OpenApiConfiguration {

    @Bean
    ModelResolver snakeCaseModels(ObjectMapperProvider mappers) {
        // a copy: the document's own fields (operationId, ...) keep their names
        return new ModelResolver(mappers.jsonMapper().copy().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE))
                .openapi31(true);
    }

    @Bean
    OpenAPI crucibleApi() {
        return new OpenAPI()
                .info(new Info().title("Crucible").version("1")
                        .description("""
                                Runs untrusted code in a fresh sandbox container per evaluation and keeps every result. \
                                Wire-compatible with the original Crucible platform's API. Authenticate with an API key \
                                (made on the web UI's API keys page, or CRUCIBLE_API_TOKEN) as `Authorization: Bearer <key>` \
                                or `X-API-Key: <key>`. Errors are JSON: `{"detail": "...", "error": "..."}`, validation \
                                errors FastAPI's `422 {"detail": [{"type", "loc", "msg", "input"}]}`. A field that \
                                does not apply to an evaluation (its exit code while it is queued, say) is null."""))
                .tags(List.of(
                        tag("Evaluations", "Submit a program, read its result, cancel it; the history, its CSV export and the queue"),
                        tag("Live output", "An evaluation's status and output as server-sent events while it runs"),
                        tag("Artifacts", "Files a program wrote under /out, kept with its result"),
                        tag("Batches", "Many programs at once: an archive or files uploaded, or a JSON list; progress and results"),
                        tag("Callbacks", "Signed webhooks sent when an evaluation or batch ends: an admin's retry of a failed one"),
                        tag("Languages", "The languages this installation runs and their images"),
                        tag("Workers", "The worker nodes taking evaluations from the queue: their state, draining and resuming"),
                        tag("Health", "Whether the platform can take and run work: its database, its Docker engine, its images")))
                .components(new Components()
                        .addSecuritySchemes("bearer", new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer")
                                .description("An API key as a bearer token"))
                        .addSecuritySchemes("apiKey", new SecurityScheme().type(SecurityScheme.Type.APIKEY)
                                .in(SecurityScheme.In.HEADER).name("X-API-Key").description("An API key in its own header")))
                .addSecurityItem(new SecurityRequirement().addList("bearer"))
                .addSecurityItem(new SecurityRequirement().addList("apiKey"));
    }

    private static Tag tag(String name, String description) {
        return new Tag().name(name).description(description);
    }
}
