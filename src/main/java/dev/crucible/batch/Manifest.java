package dev.crucible.batch;

import java.io.IOException;
import java.io.StringReader;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The optional manifest of an archive, {@code manifest.csv} (header
 * {@code file,language,stdin,timeout,expected_output,compare_mode}) or {@code manifest.json} (a list
 * of objects with the same fields, or {@code {"files": [...]}}; there also {@code args},
 * {@code test_cases}, {@code tolerance} and {@code files}, the other archive members placed beside
 * the program), at the archive's top. {@code file} is the path inside the archive; an empty cell
 * means the batch's default.
 */
record Manifest(Map<String, Row> rows) {

    static final String CSV_NAME = "manifest.csv";
    static final String JSON_NAME = "manifest.json";
    static final Manifest NONE = new Manifest(Map.of());
    private static final List<String> COLUMNS = List.of("file", "language", "stdin", "timeout", "expected_output",
            "compare_mode");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /**
     * @param args, testCases, files as JSON gave them (lists, or anything else for the submission's
     *        checks to refuse); null when absent
     */
    record Row(String file, String language, String stdin, Integer timeout, String expectedOutput, String compareMode,
            Object tolerance, Object args, Object testCases, Object files) {
    }

    static boolean isManifest(String path) {
        return path.equals(CSV_NAME) || path.equals(JSON_NAME);
    }

    static Manifest parse(String path, String text) {
        try {
            return path.equals(CSV_NAME) ? csv(text) : json(text);
        } catch (BadArchiveException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new BadArchiveException(422, path + " cannot be read: " + e.getMessage());
        }
    }

    private static Manifest csv(String text) throws IOException {
        Map<String, Row> rows = new LinkedHashMap<>();
        var parser = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).setIgnoreSurroundingSpaces(false)
                .get().parse(new StringReader(text.startsWith("\uFEFF") ? text.substring(1) : text));
        List<String> header = parser.getHeaderNames().stream().map(h -> h.strip().toLowerCase(Locale.ROOT)).toList();
        if (!header.contains("file")) {
            throw new BadArchiveException(422, CSV_NAME + " needs the header file,language,stdin,timeout,expected_output");
        }
        for (String column : header) {
            if (!COLUMNS.contains(column)) {
                throw new BadArchiveException(422, CSV_NAME + " has an unknown column '" + column + "'; the columns are "
                        + String.join(",", COLUMNS));
            }
        }
        for (CSVRecord record : parser) {
            Map<String, String> cells = new LinkedHashMap<>();
            for (int i = 0; i < header.size() && i < record.size(); i++) {
                cells.put(header.get(i), record.get(i));
            }
            add(rows, CSV_NAME + " line " + record.getRecordNumber(), cells.get("file"), cells.get("language"),
                    cells.get("stdin"), cells.get("timeout"), cells.get("expected_output"), blank(cells.get("compare_mode")),
                    null, null, null, null);
        }
        return new Manifest(rows);
    }

    private static Manifest json(String text) {
        JsonNode root = JSON.readTree(text);
        JsonNode list = root.isObject() && root.has("files") ? root.get("files") : root;
        if (!list.isArray()) {
            throw new BadArchiveException(422, JSON_NAME + " must be a list of {file, language, stdin, timeout, expected_output}");
        }
        Map<String, Row> rows = new LinkedHashMap<>();
        int n = 0;
        for (JsonNode item : list) {
            n++;
            if (!item.isObject()) {
                throw new BadArchiveException(422, JSON_NAME + " entry " + n + " is not an object");
            }
            add(rows, JSON_NAME + " entry " + n, text(item, "file"), text(item, "language"), text(item, "stdin"),
                    text(item, "timeout"), text(item, "expected_output"), blank(text(item, "compare_mode")),
                    value(item, "tolerance"), value(item, "args"), value(item, "test_cases"), value(item, "files"));
        }
        return new Manifest(rows);
    }

    private static Object value(JsonNode item, String field) {
        JsonNode value = item.get(field);
        return value == null || value.isNull() ? null : JSON.treeToValue(value, Object.class);
    }

    private static String text(JsonNode item, String field) {
        JsonNode value = item.get(field);
        return value == null || value.isNull() ? null : value.asString();
    }

    private static void add(Map<String, Row> rows, String where, String file, String language, String stdin, String timeout,
            String expected, String compareMode, Object tolerance, Object args, Object testCases, Object files) {
        if (file == null || file.isBlank()) {
            throw new BadArchiveException(422, where + " names no file");
        }
        String path = ArchiveWalker.safePath(file.strip());
        Integer seconds = null;
        if (timeout != null && timeout.length() > 32) {
            throw new BadArchiveException(422, where + ": timeout is not a whole number of seconds (more than 32 characters)");
        }
        if (timeout != null && !timeout.isBlank()) {
            try {
                seconds = Integer.valueOf(timeout.strip());
            } catch (NumberFormatException e) {
                throw new BadArchiveException(422, where + ": timeout '" + timeout + "' is not a whole number of seconds");
            }
        }
        if (rows.put(path, new Row(path, blank(language), stdin == null ? null : stdin, seconds, expected, compareMode, tolerance,
                args, testCases, files)) != null) {
            throw new BadArchiveException(422, where + " names '" + path + "' a second time");
        }
    }

    private static String blank(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
