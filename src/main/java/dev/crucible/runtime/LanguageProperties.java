package dev.crucible.runtime;

import java.util.List;
import java.util.Map;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * The configurable languages table: {@code crucible.languages.<name>.image}, {@code file-name},
 * {@code compile} (compiled languages only), {@code command}, {@code aliases}, {@code extensions},
 * {@code version} (what the image holds, as GET /api/languages tells clients), {@code enabled}
 * (default true; a disabled language is refused and its image neither built nor checked) and
 * {@code runtime} (the OCI runtime its containers run under, runc or runsc; unset,
 * {@code crucible.sandbox.runtime}).
 */
@Validated
@ConfigurationProperties("crucible")
public record LanguageProperties(@NotEmpty Map<String, @Valid Entry> languages) {

    public record Entry(
            @NotBlank String image,
            @NotBlank String fileName,
            @NotEmpty List<@NotBlank String> command,
            List<String> aliases,
            List<String> extensions,
            String version,
            List<@NotBlank String> compile,
            Boolean enabled,
            @jakarta.validation.constraints.Pattern(regexp = "[A-Za-z0-9_.-]+") String runtime) {

        public boolean isEnabled() {
            return enabled == null || enabled;
        }
    }
}
