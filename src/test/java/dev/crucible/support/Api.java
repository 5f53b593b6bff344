package dev.crucible.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A plain HTTP client for the platform's API, as its real clients talk to it. */
public final class Api {

    public record Response(int status, HttpResponse<String> raw, JsonNode json) {

        public String text(String field) {
            JsonNode node = json.get(field);
            return node == null || node.isNull() ? null : node.asString();
        }

        public String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }

        @Override
        public String toString() {
            return status + " " + raw.body();
        }
    }

    public static final JsonMapper JSON = JsonMapper.builder().build();

    private final String base;
    private final String bearerToken;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public Api(String base) {
        this(base, null);
    }

    /** A client that sends {@code Authorization: Bearer <token>} with every request, as an API key's holder does. */
    public Api(String base, String bearerToken) {
        this.base = base;
        this.bearerToken = bearerToken;
    }

    /** The address requests go to ({@code http://host:port}). */
    public String base() {
        return base;
    }

    public Response get(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
    }

    /** A GET with these headers (name, value, name, value...). */
    public Response get(String path, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).GET();
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return send(request);
    }

    /** Submits with ?wait=true and returns the ended evaluation (the answer must be a 200). */
    public JsonNode evaluate(java.util.Map<String, Object> submission) {
        Response r = post("/api/eval?wait=true", JsonMapper.builder().build().writeValueAsString(submission));
        if (r.status() != 200) {
            throw new AssertionError("expected 200 for a waited submission: " + r);
        }
        return r.json();
    }

    public Response post(String path, String body) {
        return send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)), body);
    }

    /** As {@code curl -d BODY URL} sends it: the form content type, whatever the body holds. */
    public Response postAsCurlDoes(String path, String body) {
        return send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)), body);
    }

    public Response post(String path, byte[] body) {
        return send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    /** A multipart/form-data POST: one file part plus text fields, as curl -F sends it. */
    public Response postFile(String path, String field, String fileName, byte[] content, String... fields) {
        String boundary = "----crucible-test-" + System.nanoTime();
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        java.nio.charset.Charset utf8 = java.nio.charset.StandardCharsets.UTF_8;
        for (int i = 0; i < fields.length; i += 2) {
            body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + fields[i] + "\"\r\n\r\n"
                    + fields[i + 1] + "\r\n").getBytes(utf8));
        }
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + field + "\"; filename=\""
                + fileName + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(utf8));
        body.writeBytes(content);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(utf8));
        return send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())));
    }

    /** POST /api/eval with these fields (a JSON object). */
    public Response submit(Object fields) {
        return post("/api/eval", JSON.writeValueAsString(fields));
    }

    private Response send(HttpRequest.Builder request) {
        return send(request, null);
    }

    /** Sends the request and holds the answer against the published contract ({@link ApiContract}). */
    private Response send(HttpRequest.Builder request, String requestJson) {
        if (bearerToken != null) {
            request.header("Authorization", "Bearer " + bearerToken);
        }
        try {
            HttpRequest built = request.timeout(Duration.ofSeconds(120)).build();
            HttpResponse<String> response = http.send(built, HttpResponse.BodyHandlers.ofString());
            ApiContract.check(base, bearerToken, built.method(), built.uri(), requestJson, response);
            JsonNode json = null;
            String contentType = response.headers().firstValue("Content-Type").orElse("");
            if (contentType.contains("json") && !response.body().isEmpty()) {
                json = JSON.readTree(response.body());
            }
            return new Response(response.statusCode(), response, json);
        } catch (IOException e) {
            throw new IllegalStateException("request failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
