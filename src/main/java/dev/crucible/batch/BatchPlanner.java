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

import dev.crucible.evaluation.InvalidSubmissionException;
import dev.crucible.evaluation.LimitsProperties;
import dev.crucible.evaluation.ListFields;
import dev.crucible.evaluation.ProgramFile;
import dev.crucible.evaluation.Submission;
import dev.crucible.evaluation.SubmissionValidator;
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
    private final SubmissionValidator validator;

    BatchPlanner(Languages languages, LimitsProperties limits, BatchProperties properties, SubmissionValidator validator) {
        this.languages = languages;
        this.limits = limits;
        this.properties = properties;
        this.validator = validator;
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
        // members that a manifest entry places beside its program: read now, not run on their own
        java.util.Map<String, String> beside = new java.util.HashMap<>();
        for (Manifest.Row row : manifest[0].rows().values()) {
            for (String path : besidePaths(row)) {
                if (!paths.contains(path)) {
                    throw new BadArchiveException(422, "the manifest places '" + path + "' beside '" + row.file()
                            + "', but it is not in the archive");
                }
                beside.put(path, row.file());
            }
        }
        java.util.Map<String, String> contents = new java.util.HashMap<>();
        if (!beside.isEmpty()) {
            ArchiveWalker.walk(archive, walkLimits(), (entry, content) -> {
                byte[] bytes = content.readAllBytes();
                if (beside.containsKey(entry.path())) {
                    if (!isText(bytes)) {
                        throw new BadArchiveException(422, "'" + entry.path() + "' is not UTF-8 text; it cannot be placed beside '"
                                + beside.get(entry.path()) + "'");
                    }
                    contents.put(entry.path(), new String(bytes, StandardCharsets.UTF_8));
                }
            });
        }
        List<BatchPlan.Item> items = new ArrayList<>();
        for (Seen s : seen) {
            Manifest.Row row = manifest[0].rows().get(s.path());
            if (row == null && beside.containsKey(s.path())) {
                items.add(new BatchPlan.Item(s.index(), s.path(), null, null, null, null, "beside " + beside.get(s.path())));
                continue;
            }
            BatchPlan.Item item = item(s, row, defaultLanguage);
            if (row != null && item.program()) {
                item = withSettings(item, row, contents);
            }
            items.add(item);
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

    /** The archive paths a manifest entry's {@code files} names (refused later when it is not a list of strings). */
    private static List<String> besidePaths(Manifest.Row row) {
        if (!(row.files() instanceof List<?> list)) {
            return List.of();
        }
        List<String> paths = new ArrayList<>();
        for (Object entry : list) {
            if (entry instanceof String path) {
                paths.add(ArchiveWalker.safePath(path.strip()));
            }
        }
        return paths;
    }

    /**
     * The entry's args, test cases, compare mode, tolerance and files, checked now by the same
     * rules as an API submission (so a bad manifest is a 422 at upload, not a failure later).
     */
    private BatchPlan.Item withSettings(BatchPlan.Item item, Manifest.Row row, java.util.Map<String, String> contents) {
        String folder = item.path().contains("/") ? item.path().substring(0, item.path().lastIndexOf('/') + 1) : "";
        try {
            List<String> args = ListFields.args(row.args());
            List<dev.crucible.evaluation.TestCase> cases = ListFields.testCases(row.testCases());
            List<ProgramFile> files = null;
            if (row.files() != null) {
                if (!(row.files() instanceof List<?> list) || !list.stream().allMatch(String.class::isInstance)) {
                    throw new BadArchiveException(422, "the manifest's files for '" + item.path()
                            + "' must be a list of paths in the archive");
                }
                files = new ArrayList<>();
                for (String path : besidePaths(row)) {
                    if (!path.startsWith(folder)) {
                        throw new BadArchiveException(422, "the manifest places '" + path + "' beside '" + item.path()
                                + "'; files beside a program must be in its folder or below");
                    }
                    files.add(new ProgramFile(path.substring(folder.length()), contents.get(path)));
                }
            }
            Double tolerance = null;
            if (row.tolerance() != null) {
                if (!(row.tolerance() instanceof Number number)) {
                    throw new BadArchiveException(422, "the manifest's tolerance for '" + item.path() + "' is not a number");
                }
                tolerance = number.doubleValue();
            }
            ProgramSettings settings = new ProgramSettings(args, cases, row.compareMode(), tolerance, files);
            // the program's code is read later: its settings are checked here with a stand-in
            validator.validate(new Submission("0", item.language(), item.timeout(), null, null, item.stdin(), null, null, args,
                    item.expectedOutput(), row.compareMode(), tolerance, files, null, cases));
            return new BatchPlan.Item(item.index(), item.path(), item.language(), item.stdin(), item.timeout(),
                    item.expectedOutput(), null, settings);
        } catch (InvalidSubmissionException e) {
            throw new BadArchiveException(422, "the manifest's entry for '" + item.path() + "': " + e.getMessage());
        }
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
