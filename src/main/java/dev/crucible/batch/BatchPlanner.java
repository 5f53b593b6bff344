package dev.crucible.batch;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import dev.crucible.evaluation.LimitsProperties;
import dev.crucible.runtime.Language;
import dev.crucible.runtime.Languages;
import org.springframework.stereotype.Component;

/**
 * Reads a stored upload once, completely, and decides what it becomes (or refuses it): which
 * files are programs, in which language, with which manifest settings, and which are skipped.
 */
@Component
class BatchPlanner {

    private final Languages languages;
    private final LimitsProperties limits;
    private final BatchProperties properties;

    BatchPlanner(Languages languages, LimitsProperties limits, BatchProperties properties) {
        this.languages = languages;
        this.limits = limits;
        this.properties = properties;
    }

    ArchiveWalker.Limits walkLimits() {
        return new ArchiveWalker.Limits(properties.maxFiles(), limits.maxCodeSize().toBytes(), properties.maxBytes().toBytes(),
                properties.maxRatio());
    }

    private record Seen(int index, String path, boolean text) {
    }

    /**
     * @param defaultLanguage the batch's language for manifest rows that name none (may be null)
     * @throws BadArchiveException the upload cannot become a batch
     */
    BatchPlan plan(Path archive, String defaultLanguage) {
        ArchiveFormat format = ArchiveFormat.of(archive);
        List<Seen> seen = new ArrayList<>();
        Manifest[] manifest = {Manifest.NONE};
        ArchiveWalker.walk(archive, walkLimits(), (entry, content) -> {
            byte[] bytes = content.readAllBytes();
            if (Manifest.isManifest(entry.path())) {
                if (manifest[0] != Manifest.NONE) {
                    throw new BadArchiveException(422, "the archive holds both manifest.csv and manifest.json");
                }
                manifest[0] = Manifest.parse(entry.path(), new String(bytes, StandardCharsets.UTF_8));
                return;
            }
            seen.add(new Seen(entry.index(), entry.path(), isText(bytes)));
        });
        if (seen.isEmpty()) {
            throw new BadArchiveException(422, "the archive holds no files");
        }
        Set<String> paths = new HashSet<>();
        for (Seen s : seen) {
            if (!paths.add(s.path())) {
                throw new BadArchiveException(422, "'" + s.path() + "' is in the archive twice");
            }
        }
        for (String named : manifest[0].rows().keySet()) {
            if (!paths.contains(named)) {
                throw new BadArchiveException(422, "the manifest names '" + named + "', which is not in the archive");
            }
        }
        List<BatchPlan.Item> items = new ArrayList<>();
        for (Seen s : seen) {
            items.add(item(s, manifest[0].rows().get(s.path()), defaultLanguage));
        }
        BatchPlan plan = new BatchPlan(format, items);
        if (plan.programs() == 0) {
            throw new BadArchiveException(422, "the archive holds no programs: files are run by their extension ("
                    + extensions() + ") or when the manifest gives them a language");
        }
        return plan;
    }

    private BatchPlan.Item item(Seen s, Manifest.Row row, String defaultLanguage) {
        Language language;
        if (row != null) {
            String name = row.language() != null ? row.language() : defaultLanguage;
            language = name != null ? languages.find(name).orElseThrow(() -> new BadArchiveException(422,
                    "the manifest gives '" + s.path() + "' the language '" + name + "', which is not supported; supported: "
                            + String.join(", ", languages.names())))
                    : languages.byFileName(s.path()).orElseThrow(() -> new BadArchiveException(422,
                            "the manifest names '" + s.path() + "' but no language, and its extension names none"));
            if (row.timeout() != null && (row.timeout() < 1 || row.timeout() > limits.maxTimeoutSeconds())) {
                throw new BadArchiveException(422, "the manifest gives '" + s.path() + "' the timeout " + row.timeout()
                        + "; it must be between 1 and " + limits.maxTimeoutSeconds() + " seconds");
            }
            if (row.stdin() != null && row.stdin().getBytes(StandardCharsets.UTF_8).length > limits.maxStdinSize().toBytes()) {
                throw new BadArchiveException(413, "the manifest's stdin for '" + s.path() + "' is larger than "
                        + limits.maxStdinSize().toBytes() + " bytes");
            }
        } else {
            language = languages.byFileName(s.path()).orElse(null);
            if (language == null) {
                return new BatchPlan.Item(s.index(), s.path(), null, null, null, null, "not a program (" + extensions() + ")");
            }
        }
        if (!s.text()) {
            throw new BadArchiveException(422, "'" + s.path() + "' is not UTF-8 text (or holds NUL bytes); it cannot be run");
        }
        return new BatchPlan.Item(s.index(), s.path(), language.name(), row == null ? null : row.stdin(),
                row == null ? null : row.timeout(), row == null ? null : row.expectedOutput(), null);
    }

    private String extensions() {
        return String.join(", ", languages.all().stream().flatMap(l -> l.extensions().stream()).map(e -> "." + e).toList());
    }

    static boolean isText(byte[] bytes) {
        for (byte b : bytes) {
            if (b == 0) {
                return false;
            }
        }
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}
