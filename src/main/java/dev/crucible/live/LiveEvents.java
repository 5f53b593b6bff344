package dev.crucible.live;

import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import dev.crucible.evaluation.EvaluationDocuments;
import dev.crucible.evaluation.EvaluationEvents;
import dev.crucible.evaluation.EvaluationService;
import dev.crucible.node.ServesUsers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.EventListener;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import tools.jackson.databind.ObjectMapper;

/**
 * Follows evaluations for their event streams ({@code GET /api/eval/{id}/events}). Each stream
 * is brought up to date on one thread of its own kind: at once when the evaluation's run starts,
 * its output grows or it ends (on this node or, through the database's signals, on another), and every second
 * anyway (the queue position, the start of the run, and the floor when a signal is lost).
 *
 * <p>Event ids: {@code <attempt>:<offset>} after output (the offset in the run's combined output
 * that the client has now), {@code <attempt>:end} on the result. A stream opened with {@code
 * Last-Event-ID} goes on from there: output after the offset, nothing twice. When the evaluation
 * was run again meanwhile (its worker died), the output starts over, after a status event that
 * says which attempt it is. A client that has the result gets 204, which tells an EventSource to
 * stop reconnecting.
 */
@Component
@ServesUsers
public class LiveEvents implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(LiveEvents.class);
    private static final Duration TICK = Duration.ofSeconds(1);

    private final OutputChunks chunks;
    private final EvaluationService evaluations;
    private final EvaluationDocuments documents;
    private final ObjectMapper json;
    private final LiveProperties properties;
    private final Map<String, Set<Stream>> streams = new ConcurrentHashMap<>();
    private ScheduledExecutorService thread;

    LiveEvents(OutputChunks chunks, EvaluationService evaluations, EvaluationDocuments documents, ObjectMapper json,
            LiveProperties properties) {
        this.chunks = chunks;
        this.evaluations = evaluations;
        this.documents = documents;
        this.json = json;
        this.properties = properties;
    }

    /** Where a stream resumes, from its Last-Event-ID; {@link #START} when absent or not ours. */
    record Position(int attempt, int offset, boolean ended) {
        static final Position START = new Position(0, 0, false);

        static Position parse(String lastEventId) {
            if (lastEventId == null) {
                return START;
            }
            String[] parts = lastEventId.trim().split(":");
            try {
                if (parts.length == 2) {
                    int attempt = Integer.parseInt(parts[0]);
                    if ("end".equals(parts[1])) {
                        return new Position(attempt, 0, true);
                    }
                    int offset = Integer.parseInt(parts[1]);
                    if (attempt > 0 && offset >= 0) {
                        return new Position(attempt, offset, false);
                    }
                }
            } catch (NumberFormatException e) {
                // not an id this platform gave: start from the beginning
            }
            return START;
        }
    }

    /** Too many streams are open on this node. */
    public static final class TooManyStreamsException extends RuntimeException {
        TooManyStreamsException(int max) {
            super("This node already serves " + max + " event streams (crucible.live.max-streams); try again later");
        }
    }

    /**
     * Opens a stream of {@code evalId}'s events; empty when the client already has its result
     * (answer 204). The evaluation must exist.
     *
     * @throws TooManyStreamsException at {@code crucible.live.max-streams}
     */
    public Optional<SseEmitter> open(String evalId, String lastEventId) {
        Position from = Position.parse(lastEventId);
        if (from.ended()) {
            return Optional.empty();
        }
        if (openStreams() >= properties.maxStreams()) {
            throw new TooManyStreamsException(properties.maxStreams());
        }
        SseEmitter emitter = new SseEmitter(properties.streamTimeout().toMillis());
        Stream stream = new Stream(evalId, emitter, from);
        streams.computeIfAbsent(evalId, k -> ConcurrentHashMap.newKeySet()).add(stream);
        Runnable forget = () -> forget(stream);
        emitter.onCompletion(forget);
        emitter.onTimeout(forget);
        emitter.onError(e -> forget.run());
        thread.execute(() -> update(stream));
        return Optional.of(emitter);
    }

    private void forget(Stream stream) {
        stream.done = true;
        streams.computeIfPresent(stream.evalId, (k, set) -> {
            set.remove(stream);
            return set.isEmpty() ? null : set;
        });
    }

    @EventListener
    void onStarted(EvaluationEvents.Started started) {
        wake(started.evalId());
    }

    @EventListener
    void onOutput(EvaluationEvents.OutputWritten written) {
        wake(written.evalId());
    }

    @EventListener
    void onEnded(EvaluationEvents.Ended ended) {
        wake(ended.evalId());
    }

    @EventListener
    void onEndedElsewhere(EvaluationEvents.EndedElsewhere ended) {
        wake(ended.evalId());
    }

    private void wake(String evalId) {
        Set<Stream> following = streams.get(evalId);
        if (following != null && thread != null) {
            following.forEach(s -> thread.execute(() -> update(s)));
        }
    }

    private void updateAll() {
        streams.values().forEach(set -> set.forEach(this::update));
    }

    /** One client's stream: what it has been sent so far. Touched on the streams' thread only. */
    private static final class Stream {
        final String evalId;
        final SseEmitter emitter;
        int attempt;
        int offset;
        String lastStatus;
        long lastSentNanos = System.nanoTime();
        volatile boolean done;

        Stream(String evalId, SseEmitter emitter, Position from) {
            this.evalId = evalId;
            this.emitter = emitter;
            this.attempt = from.attempt();
            this.offset = from.offset();
        }
    }

    /** Sends the stream what happened since its last update. */
    private void update(Stream s) {
        if (s.done) {
            return;
        }
        try {
            Optional<OutputChunks.State> found = chunks.state(s.evalId);
            if (found.isEmpty()) {
                // deleted meanwhile (retention): nothing more will come
                s.emitter.complete();
                forget(s);
                return;
            }
            OutputChunks.State state = found.get();
            if (state.attempts() != s.attempt && (state.status().equals("running") || state.ended())) {
                s.attempt = state.attempts();
                s.offset = 0;
                s.lastStatus = null;
            }
            if (!state.ended()) {
                status(s, state);
            }
            if (state.status().equals("running") && !state.testCases()) {
                for (OutputChunks.Chunk c : chunks.after(s.evalId, s.attempt, s.offset)) {
                    if (c.start() > s.offset) {
                        break; // not written yet: the next update sends it
                    }
                    output(s, c.stderr(), c.text().substring(s.offset - c.start()), c.end());
                }
            } else if (state.ended()) {
                if (!state.testCases()) {
                    for (OutputSegments.Piece p : OutputSegments.slice(state.output(), state.segments(), state.hasStdout(),
                            state.hasStderr(), s.offset)) {
                        output(s, p.stderr(), p.text(), p.end());
                    }
                }
                status(s, state);
                Optional<String> document = documents.of(s.evalId);
                if (document.isPresent()) {
                    s.emitter.send(SseEmitter.event().name("result").id(s.attempt + ":end")
                            .data(document.get(), MediaType.APPLICATION_JSON));
                }
                s.emitter.complete();
                forget(s);
                return;
            }
            if (System.nanoTime() - s.lastSentNanos > properties.keepAlive().toNanos()) {
                s.emitter.send(SseEmitter.event().comment("keep-alive"));
                s.lastSentNanos = System.nanoTime();
            }
        } catch (IOException | IllegalStateException gone) {
            // the client went away (or the emitter timed out): forget it
            forget(s);
        } catch (RuntimeException e) {
            // the database does not answer, say: the next tick tries again
            log.debug("Could not bring the event stream of {} up to date: {}", s.evalId, e.getMessage());
        }
    }

    /** Sends a status event when the status (or the queue position) changed since the last one. */
    private void status(Stream s, OutputChunks.State state) throws IOException {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("eval_id", s.evalId);
        data.put("status", state.status());
        if (state.status().equals("queued")) {
            data.put("queue_position", evaluations.find(s.evalId).map(evaluations::queuePosition).orElse(null));
        }
        if (state.attempts() > 0) {
            data.put("attempt", state.attempts());
        }
        String text = json.writeValueAsString(data);
        if (!text.equals(s.lastStatus)) {
            s.emitter.send(SseEmitter.event().name("status").data(text, MediaType.APPLICATION_JSON));
            s.lastStatus = text;
            s.lastSentNanos = System.nanoTime();
        }
    }

    private void output(Stream s, Boolean stderr, String text, int end) throws IOException {
        if (text.isEmpty()) {
            return;
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("stream", stderr == null ? "mixed" : stderr ? "stderr" : "stdout");
        data.put("text", text);
        s.emitter.send(SseEmitter.event().name("output").id(s.attempt + ":" + end)
                .data(json.writeValueAsString(data), MediaType.APPLICATION_JSON));
        s.offset = end;
        s.lastSentNanos = System.nanoTime();
    }

    /** How many streams this node serves now. */
    public int openStreams() {
        return streams.values().stream().mapToInt(Set::size).sum();
    }

    @Override
    public synchronized void start() {
        thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "live-events");
            t.setDaemon(true);
            return t;
        });
        thread.scheduleWithFixedDelay(this::updateAll, TICK.toMillis(), TICK.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void stop() {
        if (thread != null) {
            thread.shutdownNow();
            List.copyOf(streams.values()).forEach(set -> set.forEach(s -> {
                s.emitter.complete();
                s.done = true;
            }));
            streams.clear();
            thread = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return thread != null;
    }
}
