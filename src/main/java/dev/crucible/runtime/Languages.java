package dev.crucible.runtime;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.springframework.stereotype.Component;

/**
 * Looks languages up by name or alias, case-insensitively. The table is kept in the order of the
 * languages' names: the order in which Spring binds the map depends on where each setting came
 * from (a language enabled on the command line would come first), and what depends on the order
 * (the first language of an extension or of an image, lists and menus) must not.
 */
@Component
public class Languages {

    private final List<Language> all;
    private final Map<String, Language> byName = new LinkedHashMap<>();
    /** Configured but not enabled: named in refusals and listed as such, so nobody wonders where they went. */
    private final List<String> disabled = new ArrayList<>();
    /** Every configured language in the table's order, enabled or not. */
    private final List<Language> configured = new ArrayList<>();

    public Languages(LanguageProperties properties) {
        List<Language> languages = new ArrayList<>();
        new java.util.TreeMap<>(properties.languages()).forEach((name, entry) -> {
            Language language = new Language(name.toLowerCase(Locale.ROOT), entry.image(), entry.fileName(),
                    entry.command(), entry.aliases(), entry.extensions(), entry.version(), entry.compile(), entry.runtime());
            configured.add(language);
            if (entry.isEnabled()) {
                languages.add(language);
            } else {
                disabled.add(language.name());
            }
        });
        if (languages.isEmpty()) {
            throw new IllegalStateException("no language is enabled (crucible.languages.<name>.enabled)");
        }
        this.all = Collections.unmodifiableList(languages);
        for (Language language : languages) {
            register(language.name(), language);
        }
        for (Language language : languages) {
            language.aliases().forEach(alias -> register(alias.toLowerCase(Locale.ROOT), language));
        }
    }

    private void register(String key, Language language) {
        Language previous = byName.putIfAbsent(key, language);
        if (previous != null && previous != language) {
            throw new IllegalStateException("language name or alias '" + key + "' is configured for both "
                    + previous.name() + " and " + language.name());
        }
    }

    public Optional<Language> find(String nameOrAlias) {
        if (nameOrAlias == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(byName.get(nameOrAlias.trim().toLowerCase(Locale.ROOT)));
    }

    /** The language of a file, by its extension ({@code crucible.languages.<name>.extensions}). */
    public Optional<Language> byFileName(String path) {
        int dot = path.lastIndexOf('.');
        if (dot < 0 || dot < path.lastIndexOf('/')) {
            return Optional.empty();
        }
        String extension = path.substring(dot + 1).toLowerCase(Locale.ROOT);
        return all.stream().filter(l -> l.extensions().contains(extension)).findFirst();
    }

    public List<Language> all() {
        return all;
    }

    /**
     * The language an {@code executor_image} names (the original API's field): a configured
     * language's name or alias, or the image it runs in (the first language of that image).
     */
    public Optional<Language> byExecutorImage(String image) {
        if (image == null) {
            return Optional.empty();
        }
        Optional<Language> named = find(image);
        return named.isPresent() ? named : all.stream().filter(l -> l.image().equals(image.trim())).findFirst();
    }

    /** Every configured language, enabled or not, in the table's order. */
    public List<Language> configured() {
        return Collections.unmodifiableList(configured);
    }

    /** Whether this name is a configured language that is switched off. */
    public boolean isDisabled(String name) {
        return name != null && disabled.contains(name.trim().toLowerCase(Locale.ROOT));
    }

    public List<String> names() {
        return all.stream().map(Language::name).toList();
    }
}
