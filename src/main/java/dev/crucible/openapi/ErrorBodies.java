package dev.crucible.openapi;

import java.util.List;

import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;

/** The API's error bodies, as the document describes them (the handlers write them as maps). */
final class ErrorBodies {

    private ErrorBodies() {
    }

    @Schema(name = "Error", description = "Every error but a validation error; detail and error say the same, as "
            + "clients of the original API read one or the other")
    record Error(@Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "Evaluation not found") String detail,
            @Schema(example = "Evaluation not found") String error) {
    }

    @Schema(name = "ValidationError", description = "A request that breaks a rule (FastAPI's shape): one problem per field")
    record ValidationError(@Schema(requiredMode = Schema.RequiredMode.REQUIRED) List<Problem> detail) {
    }

    @Schema(name = "ValidationProblem")
    record Problem(@Schema(example = "value_error") String type,
            @ArraySchema(schema = @Schema(types = {"string", "integer"}), arraySchema = @Schema(
                    description = "where: body or query, then the field", example = "[\"body\", \"timeout\"]")) List<Object> loc,
            @Schema(example = "timeout must be between 1 and 300 seconds") String msg,
            @Schema(description = "the value given, when there was one",
                    types = {"string", "integer", "number", "boolean", "array", "object"}) Object input) {
    }
}
