package dev.crucible.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import tools.jackson.databind.JsonNode;

/**
 * The published contract, held against every answer the tests get: each request that goes
 * through {@link Api} is looked up in the platform's own OpenAPI document ({@code /v3/api-docs},
 * fetched once per address with the same credentials), and the test fails when the endpoint,
 * the method or the status is not in it, or when a JSON body (the answer's; a request's too when
 * it was accepted) does not fit its schema.
 *
 * <p>The schema check covers what the document uses: {@code $ref}, {@code type}, {@code
 * properties} (an object may hold no property the schema does not name, unless it allows more),
 * {@code items}, {@code additionalProperties}, {@code required}, {@code enum}, {@code oneOf} /
 * {@code anyOf} / {@code allOf}. {@code null} fits any property: the document says a field is
 * null when it does not apply. A process without the document (a worker node, which serves
 * health only) is not checked, and neither is a client the document refuses (no key in
 * protected mode).
 */
public final class ApiContract {

    /** The document per address and credentials; empty: that process publishes none to this client. */
    private static final Map<String, Optional<JsonNode>> DOCUMENTS = new ConcurrentHashMap<>();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private ApiContract() {
    }

    /**
     * Checks one exchange; throws AssertionError when it breaks the contract.
     *
     * @param requestJson the request's body when it was JSON, else null
     */
    static void check(String base, String bearerToken, String method, URI uri, String requestJson, HttpResponse<String> response) {
        if (!uri.getPath().startsWith("/api/") && !uri.getPath().equals("/health")) {
            return;
        }
        Optional<JsonNode> document = document(base, bearerToken);
        if (document.isEmpty()) {
            return;
        }
        List<String> problems = problems(document.get(), method, uri.getPath(), requestJson, response.statusCode(),
                response.headers().firstValue("Content-Type").orElse(""), response.body());
        if (!problems.isEmpty()) {
            throw new AssertionError("the answer to " + method + " " + uri.getPath() + " (" + response.statusCode()
                    + ") breaks the OpenAPI document: " + String.join("; ", problems) + "\nbody: "
                    + abbreviate(response.body()));
        }
        if (RECORD_EXAMPLES != null && response.statusCode() / 100 == 2
                && response.headers().firstValue("Content-Type").orElse("").contains("json")) {
            template(document.get(), uri.getPath()).ifPresent(template ->
                    Examples.offer(method.toLowerCase() + " " + template + " " + response.statusCode(), response.body()));
        }
    }

    /**
     * Where to write the answers seen, the best of each operation and status, when set (the
     * system property {@code crucible.openapi.record-examples}): the source of the document's
     * examples ({@code src/main/resources/openapi/examples.json}), so that they are real answers.
     */
    private static final String RECORD_EXAMPLES = System.getProperty("crucible.openapi.record-examples");

    /** The recorded answers: per operation and status, the one with the most fields filled in (under 3 000 characters). */
    static final class Examples {
        private static final Map<String, JsonNode> BEST = new ConcurrentHashMap<>();

        static {
            Runtime.getRuntime().addShutdownHook(new Thread(Examples::write));
        }

        static void offer(String key, String body) {
            if (body == null || body.length() > 3000) {
                return;
            }
            JsonNode answer = Api.JSON.readTree(body);
            BEST.merge(key, answer, (known, offered) -> filled(offered) > filled(known) ? offered : known);
        }

        private static int filled(JsonNode node) {
            if (node.isNull()) {
                return 0;
            }
            if (!node.isContainer()) {
                return node.isString() && node.asString().isEmpty() ? 0 : 1;
            }
            int n = 0;
            for (JsonNode child : node) {
                n += filled(child);
            }
            return n;
        }

        /** Merges into the file (several test JVMs may write it, one after the other). */
        private static synchronized void write() {
            java.nio.file.Path file = java.nio.file.Path.of(RECORD_EXAMPLES);
            try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(file,
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE,
                    java.nio.file.StandardOpenOption.READ); var lock = channel.lock()) {
                String known = java.nio.file.Files.readString(file);
                tools.jackson.databind.node.ObjectNode all = known.isBlank() ? Api.JSON.createObjectNode()
                        : (tools.jackson.databind.node.ObjectNode) Api.JSON.readTree(known);
                BEST.forEach((key, answer) -> {
                    JsonNode before = all.get(key);
                    if (before == null || filled(answer) > filled(before)) {
                        all.set(key, answer);
                    }
                });
                byte[] bytes = Api.JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(all);
                channel.truncate(0);
                channel.write(java.nio.ByteBuffer.wrap(bytes), 0);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static String abbreviate(String text) {
        return text == null ? "" : text.length() > 600 ? text.substring(0, 600) + "..." : text;
    }

    private static Optional<JsonNode> document(String base, String bearerToken) {
        String key = base + "|" + bearerToken;
        Optional<JsonNode> known = DOCUMENTS.get(key);
        if (known != null) {
            return known;
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + "/v3/api-docs")).timeout(Duration.ofSeconds(30)).GET();
        if (bearerToken != null) {
            request.header("Authorization", "Bearer " + bearerToken);
        }
        try {
            HttpResponse<String> answer = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() == 200) {
                Optional<JsonNode> document = Optional.of(Api.JSON.readTree(answer.body()));
                DOCUMENTS.put(key, document);
                return document;
            }
            if (answer.statusCode() == 401 || answer.statusCode() == 404) {
                DOCUMENTS.put(key, Optional.empty());
            }
            // anything else (the database restarting, say): not checked now, asked again next time
            return Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** What is wrong with one exchange, by the document; empty when nothing is. */
    static List<String> problems(JsonNode document, String method, String path, String requestJson, int status,
            String contentType, String body) {
        List<String> problems = new ArrayList<>();
        Optional<String> template = template(document, path);
        if (template.isEmpty()) {
            // a path the API does not serve may be refused in any 4xx (the request firewall's 400, say)
            if (status / 100 != 4) {
                problems.add("no path of the document matches " + path);
            }
            return problems;
        }
        JsonNode operation = document.get("paths").get(template.get()).get(method.toLowerCase());
        if (operation == null) {
            if (status != 405) {
                problems.add(method + " is not documented for " + template.get());
            }
            return problems;
        }
        JsonNode responses = operation.get("responses");
        JsonNode response = responses.has(String.valueOf(status)) ? responses.get(String.valueOf(status)) : responses.get("default");
        if (response == null) {
            problems.add("status " + status + " is not documented for " + method + " " + template.get());
            return problems;
        }
        response = resolve(document, response);
        String media = contentType.split(";")[0].trim();
        JsonNode content = response.get("content");
        if (content != null && !media.isEmpty() && body != null && !body.isEmpty()) {
            JsonNode documented = content.get(media);
            if (documented == null && media.endsWith("json")) {
                documented = content.get("application/json");
            }
            if (documented == null) {
                problems.add("the answer is " + media + ", the document says " + fieldNames(content));
            } else if (media.contains("json") && documented.has("schema")) {
                validate(document, Api.JSON.readTree(body), documented.get("schema"), "$", problems);
            }
        } else if (content == null && body != null && !body.isEmpty() && media.contains("json") && status != 204) {
            problems.add("the answer has a JSON body, the document describes none");
        }
        if (requestJson != null && status / 100 == 2 && operation.has("requestBody")) {
            JsonNode requestContent = resolve(document, operation.get("requestBody")).get("content");
            JsonNode schema = requestContent == null || !requestContent.has("application/json") ? null
                    : requestContent.get("application/json").get("schema");
            if (schema != null) {
                List<String> requestProblems = new ArrayList<>();
                validate(document, Api.JSON.readTree(requestJson), schema, "request", requestProblems);
                problems.addAll(requestProblems);
            }
        }
        return problems;
    }

    /** What keeps {@code value} from fitting {@code schema} of {@code document}; empty when it fits. */
    public static List<String> misfits(JsonNode document, JsonNode value, JsonNode schema) {
        List<String> problems = new ArrayList<>();
        validate(document, value, schema, "$", problems);
        return problems;
    }

    private static String fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.propertyNames().forEach(names::add);
        return names.toString();
    }

    /** The document's path template that matches {@code path}: literal ones before those with parameters. */
    static Optional<String> template(JsonNode document, String path) {
        List<String> matching = new ArrayList<>();
        for (String template : document.get("paths").propertyNames()) {
            String regex = "\\Q" + template.replaceAll("\\{[^}]+}", "\\\\E[^/]+\\\\Q") + "\\E";
            if (Pattern.matches(regex, path)) {
                matching.add(template);
            }
        }
        return matching.stream().min(Comparator.comparingInt(t -> t.split("\\{", -1).length));
    }

    private static JsonNode resolve(JsonNode document, JsonNode node) {
        while (node != null && node.has("$ref")) {
            String ref = node.get("$ref").asString();
            JsonNode target = document;
            for (String part : ref.substring(2).split("/")) {
                target = target.get(part.replace("~1", "/").replace("~0", "~"));
            }
            node = target;
        }
        return node;
    }

    private static void validate(JsonNode document, JsonNode value, JsonNode schema, String at, List<String> problems) {
        schema = resolve(document, schema);
        if (schema == null || value == null || value.isNull() || value.isMissingNode()) {
            return;
        }
        for (String combiner : List.of("oneOf", "anyOf")) {
            if (schema.has(combiner)) {
                boolean fits = false;
                for (JsonNode option : schema.get(combiner)) {
                    List<String> trial = new ArrayList<>();
                    validate(document, value, option, at, trial);
                    fits |= trial.isEmpty();
                }
                if (!fits) {
                    problems.add(at + " fits none of its " + combiner);
                }
                return;
            }
        }
        if (schema.has("allOf")) {
            schema.get("allOf").forEach(part -> validate(document, value, part, at, problems));
        }
        if (schema.has("enum")) {
            boolean listed = false;
            for (JsonNode allowed : schema.get("enum")) {
                listed |= allowed.equals(value);
            }
            if (!listed) {
                problems.add(at + " is " + value + ", not one of " + schema.get("enum"));
            }
        }
        List<String> types = new ArrayList<>();
        JsonNode type = schema.get("type");
        if (type != null) {
            if (type.isArray()) {
                type.forEach(t -> types.add(t.asString()));
            } else {
                types.add(type.asString());
            }
        }
        if (types.isEmpty()) {
            if (schema.has("properties")) {
                types.add("object");
            } else if (schema.has("items")) {
                types.add("array");
            } else {
                return; // any value
            }
        }
        String actual = value.isObject() ? "object" : value.isArray() ? "array" : value.isBoolean() ? "boolean"
                : value.isIntegralNumber() ? "integer" : value.isNumber() ? "number" : value.isString() ? "string" : "?";
        if (!types.contains(actual) && !(actual.equals("integer") && types.contains("number"))) {
            problems.add(at + " is " + actual + ", the document says " + types);
            return;
        }
        if (actual.equals("object")) {
            JsonNode properties = schema.get("properties");
            JsonNode additional = schema.get("additionalProperties");
            if (properties == null && additional == null) {
                return; // a free-form object
            }
            for (Iterator<Map.Entry<String, JsonNode>> fields = value.properties().iterator(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                if (properties != null && properties.has(field.getKey())) {
                    validate(document, field.getValue(), properties.get(field.getKey()), at + "." + field.getKey(), problems);
                } else if (additional != null && additional.isObject()) {
                    validate(document, field.getValue(), additional, at + "." + field.getKey(), problems);
                } else if (additional == null || !additional.asBoolean()) {
                    problems.add(at + "." + field.getKey() + " is not in the document");
                }
            }
            if (schema.has("required")) {
                for (JsonNode required : schema.get("required")) {
                    if (!value.has(required.asString())) {
                        problems.add(at + "." + required.asString() + " is required by the document and missing");
                    }
                }
            }
        } else if (actual.equals("array") && schema.has("items")) {
            int i = 0;
            for (JsonNode item : value) {
                validate(document, item, schema.get("items"), at + "[" + i++ + "]", problems);
            }
        }
    }
}
