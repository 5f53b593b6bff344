package dev.crucible.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import tools.jackson.databind.JsonNode;

/**
 * A client of {@code text/event-stream}, as an EventSource reads it: events made of {@code event},
 * {@code id} and {@code data} lines, ended by an empty line; comments ignored.
 */
public final class EventStreamClient {

    /** One event and when it arrived ({@link System#nanoTime()}). */
    public record Event(String name, String id, String data, long arrivedNanos) {
        public JsonNode json() {
            return Api.JSON.readTree(data);
        }
    }

    /** What one connection got: its status, content type and events, in order. */
    public record Stream(int status, String contentType, List<Event> events) {
        public List<Event> named(String name) {
            return events.stream().filter(e -> name.equals(e.name())).toList();
        }
    }

    private EventStreamClient() {
    }

    /**
     * Reads the stream at {@code base + path} until it ends, or until {@code stopWhen} holds for
     * the events so far (then the connection is closed, as a client that goes away does).
     *
     * @param onEvent called as each event arrives (on the reading thread), before {@code stopWhen}
     */
    public static Stream read(String base, String path, String bearerToken, String lastEventId,
            java.util.function.Consumer<Event> onEvent, Predicate<List<Event>> stopWhen, Duration timeout) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(timeout)
                .header("Accept", "text/event-stream");
        if (bearerToken != null) {
            request.header("Authorization", "Bearer " + bearerToken);
        }
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        List<Event> events = new ArrayList<>();
        try {
            HttpResponse<InputStream> response = http.send(request.GET().build(), HttpResponse.BodyHandlers.ofInputStream());
            String contentType = response.headers().firstValue("Content-Type").orElse("");
            try (InputStream body = response.body();
                    BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
                if (response.statusCode() != 200) {
                    return new Stream(response.statusCode(), contentType, events);
                }
                String name = null;
                String id = null;
                StringBuilder data = null;
                String line;
                while ((line = lines.readLine()) != null) {
                    if (line.isEmpty()) {
                        if (data != null) {
                            Event event = new Event(name == null ? "message" : name, id, data.toString(), System.nanoTime());
                            events.add(event);
                            onEvent.accept(event);
                            if (stopWhen.test(events)) {
                                break;
                            }
                        }
                        name = null;
                        id = null;
                        data = null;
                        continue;
                    }
                    if (line.startsWith(":")) {
                        continue;
                    }
                    int colon = line.indexOf(':');
                    String field = colon < 0 ? line : line.substring(0, colon);
                    String value = colon < 0 ? "" : line.substring(colon + 1);
                    if (value.startsWith(" ")) {
                        value = value.substring(1);
                    }
                    switch (field) {
                        case "event" -> name = value;
                        case "id" -> id = value;
                        case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
                        default -> {
                        }
                    }
                }
            }
            return new Stream(response.statusCode(), contentType, events);
        } catch (IOException e) {
            throw new IllegalStateException("the event stream failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Reads the whole stream, to its end. */
    public static Stream read(String base, String path, String bearerToken, String lastEventId) {
        return read(base, path, bearerToken, lastEventId, e -> {
        }, events -> false, Duration.ofSeconds(120));
    }
}
