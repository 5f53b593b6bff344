package dev.crucible.evaluation;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import io.swagger.v3.oas.annotations.tags.Tag;

/**
 * The files a program wrote under {@code /out}: {@code GET /api/eval/{id}/artifacts} lists them
 * (name, size, sha256) with the notes on what was left out, and
 * {@code GET /api/eval/{id}/artifacts/{name}} downloads one, always as an attachment with
 * {@code nosniff} and a CSP that allows nothing: a PNG or JPEG (by its bytes, never its name) as
 * that image type, so the evaluation page's {@code <img>} can show it, anything else as
 * application/octet-stream, so a browser never renders what a program wrote as a page (no HTML,
 * no SVG).
 */
@RestController
@Tag(name = "Artifacts")
class ArtifactsController {

    record ArtifactsView(String evalId, List<Artifact.Info> artifacts, List<String> notes) {
    }

    private final EvaluationService service;

    ArtifactsController(EvaluationService service) {
        this.service = service;
    }

    @GetMapping("/api/eval/{id}/artifacts")
    @Operation(summary = "The files the program wrote under /out, and what was left out")
    ArtifactsView list(@PathVariable String id) {
        EvaluationService.Artifacts artifacts = service.artifacts(id);
        return new ArtifactsView(id, artifacts.files(), artifacts.notes());
    }

    @GetMapping("/api/eval/{id}/artifacts/{*name}")
    @Operation(summary = "Download a file the program wrote under /out", description = "Its bytes as they were written; "
            + "an image (PNG, JPEG) is served as one only when its bytes say so, anything else as an attachment")
    @ApiResponse(responseCode = "200", description = "The file", content = {
            @Content(mediaType = "application/octet-stream", schema = @Schema(type = "string", format = "binary")),
            @Content(mediaType = "image/png", schema = @Schema(type = "string", format = "binary")),
            @Content(mediaType = "image/jpeg", schema = @Schema(type = "string", format = "binary"))})
    ResponseEntity<byte[]> download(@PathVariable String id, @PathVariable String name) {
        // {*name} keeps the leading slash and the folders of a file in a subfolder of /out
        Artifact artifact = service.artifact(id, name.startsWith("/") ? name.substring(1) : name);
        String image = artifact.imageType();
        String fileName = artifact.name().substring(artifact.name().lastIndexOf('/') + 1);
        ContentDisposition disposition = ContentDisposition.attachment().filename(fileName, StandardCharsets.UTF_8).build();
        return ResponseEntity.ok()
                .contentType(image != null ? MediaType.parseMediaType(image) : MediaType.APPLICATION_OCTET_STREAM)
                .header(HttpHeaders.CONTENT_DISPOSITION, disposition.toString())
                .header("X-Content-Type-Options", "nosniff")
                .header("Content-Security-Policy", "default-src 'none'; sandbox")
                .header("X-Artifact-Sha256", artifact.sha256())
                .body(artifact.content());
    }
}
