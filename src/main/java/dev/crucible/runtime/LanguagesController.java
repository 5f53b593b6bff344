package dev.crucible.runtime;

import java.util.List;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.swagger.v3.oas.annotations.Operation;

/** {@code GET /api/languages}: every configured language, as clients choose one, and whether it is enabled. */
@RestController
@Tag(name = "Languages")
class LanguagesController {

    record LanguageView(String name, String version, String image, List<String> aliases, List<String> extensions,
            String fileName, boolean compiles, boolean enabled) {
    }

    record LanguagesView(List<LanguageView> languages) {
    }

    private final Languages languages;

    LanguagesController(Languages languages) {
        this.languages = languages;
    }

    @GetMapping("/api/languages")
    @Operation(summary = "The languages this installation knows, their images and whether they are enabled")
    LanguagesView list() {
        return new LanguagesView(languages.configured().stream().map(l -> new LanguageView(l.name(), l.version(), l.image(),
                l.aliases(), l.extensions(), l.fileName(), l.compiles(), !languages.isDisabled(l.name()))).toList());
    }
}
