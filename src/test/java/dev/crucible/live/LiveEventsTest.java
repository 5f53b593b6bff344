package dev.crucible.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.crucible.support.Api;
import dev.crucible.support.EventStreamClient;
import dev.crucible.support.RealPlatformTest;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * {@code GET /api/eval/{id}/events} on the whole platform with real containers: output arrives
 * while the program runs, a reconnect with Last-Event-ID misses nothing and repeats nothing, an
 * ended evaluation replays its output stream by stream, and a queued one says where it stands.
 */
class LiveEventsTest extends RealPlatformTest {

    @org.springframework.beans.factory.annotation.Autowired
    OutputChunks chunks;

    @org.springframework.beans.factory.annotation.Autowired
    org.springframework.jdbc.core.simple.JdbcClient jdbc;

    private long chunkRows(String id) {
        return jdbc.sql("SELECT COUNT(*) FROM evaluation_output_chunk WHERE evaluation_id = :id").param("id", id)
                .query(Long.class).single();
    }

    private String base() {
        return "http://localhost:" + port;
    }

    private String submit(String code) {
        Api.Response r = api.submit(Map.of("code", code));
        assertThat(r.status()).as(r.toString()).isEqualTo(202);
        return r.text("eval_id");
    }

    private JsonNode awaitEnd(String id) {
        return await().atMost(Duration.ofSeconds(60)).until(() -> api.get("/api/eval/" + id).json(),
                e -> !List.of("queued", "running").contains(e.get("status").asString()));
    }

    private static String text(List<EventStreamClient.Event> outputs, String stream) {
        StringBuilder text = new StringBuilder();
        outputs.stream().map(EventStreamClient.Event::json)
                .filter(j -> stream == null || stream.equals(j.get("stream").asString()))
                .forEach(j -> text.append(j.get("text").asString()));
        return text.toString();
    }

    @Test
    void linesArriveWhileTheProgramRunsAndAReconnectWithLastEventIdMissesNoneAndRepeatsNone() {
        String id = submit("""
                import sys, time
                for i in range(8):
                    print('line', i, flush=True)
                    if i == 3:
                        print('half way', file=sys.stderr, flush=True)
                    time.sleep(0.2)
                """);
        List<String> statusWhenThirdLineArrived = new ArrayList<>();
        List<Long> chunksWhenThirdLineArrived = new ArrayList<>();
        EventStreamClient.Stream first = EventStreamClient.read(base(), "/api/eval/" + id + "/events", null, null,
                event -> {
                    if (event.name().equals("output") && statusWhenThirdLineArrived.isEmpty()
                            && event.json().get("text").asString().contains("line 2")) {
                        statusWhenThirdLineArrived.add(api.get("/api/eval/" + id).text("status"));
                        chunksWhenThirdLineArrived.add(chunkRows(id));
                    }
                },
                events -> events.stream().filter(e -> e.name().equals("output")).count() >= 3, Duration.ofSeconds(60));
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.contentType()).startsWith("text/event-stream");
        assertThat(statusWhenThirdLineArrived).as("the evaluation's status when its third line arrived").containsExactly("running");
        assertThat(chunksWhenThirdLineArrived).as("live output rows written while it ran").allMatch(n -> n > 0);
        String lastId = first.named("output").get(2).id();

        EventStreamClient.Stream rest = EventStreamClient.read(base(), "/api/eval/" + id + "/events", null, lastId);
        assertThat(rest.status()).isEqualTo(200);
        List<EventStreamClient.Event> outputs = new ArrayList<>(first.named("output").subList(0, 3));
        outputs.addAll(rest.named("output"));
        JsonNode ended = awaitEnd(id);
        assertThat(ended.get("status").asString()).isEqualTo("completed");
        assertThat(text(outputs, null)).as("every piece once, in order").isEqualTo(ended.get("output").asString());
        assertThat(text(outputs, "stdout")).isEqualTo(ended.get("stdout").asString());
        assertThat(text(outputs, "stderr")).isEqualTo("half way\n");
        List<String> ids = outputs.stream().map(EventStreamClient.Event::id).toList();
        assertThat(ids).doesNotHaveDuplicates().allMatch(i -> i.startsWith("1:"));

        List<EventStreamClient.Event> statuses = rest.named("status");
        assertThat(statuses.get(statuses.size() - 1).json().get("status").asString()).isEqualTo("completed");
        List<EventStreamClient.Event> results = rest.named("result");
        assertThat(results).hasSize(1);
        assertThat(rest.events().get(rest.events().size() - 1)).isEqualTo(results.get(0));
        assertThat(results.get(0).json().get("output").asString()).isEqualTo(ended.get("output").asString());
        assertThat(results.get(0).id()).isEqualTo("1:end");

        // the live rows go once the evaluation has ended (its row says it all)
        chunks.deleteEnded();
        assertThat(chunkRows(id)).isZero();

        // a client that has the result is told not to come back
        assertThat(EventStreamClient.read(base(), "/api/eval/" + id + "/events", null, "1:end").status()).isEqualTo(204);
    }

    @Test
    void anEndedEvaluationReplaysItsOutputStreamByStreamAndFromAnyEventItGave() {
        String id = submit("""
                import sys, time
                print('a', flush=True)
                time.sleep(0.1)  # two pipes: what the launcher reads first is only sure a moment later
                print('b', file=sys.stderr, flush=True)
                time.sleep(0.1)
                print('c', flush=True)
                """);
        JsonNode ended = awaitEnd(id);
        EventStreamClient.Stream all = EventStreamClient.read(base(), "/api/eval/" + id + "/events", null, null);
        List<EventStreamClient.Event> outputs = all.named("output");
        assertThat(outputs).extracting(e -> e.json().get("stream").asString() + ":" + e.json().get("text").asString())
                .containsExactly("stdout:a\n", "stderr:b\n", "stdout:c\n");
        assertThat(all.events()).extracting(EventStreamClient.Event::name).containsExactly("output", "output", "output",
                "status", "result");
        assertThat(all.named("result").get(0).json().get("eval_id").asString()).isEqualTo(id);
        assertThat(text(outputs, null)).isEqualTo(ended.get("output").asString());

        EventStreamClient.Stream after = EventStreamClient.read(base(), "/api/eval/" + id + "/events", null, outputs.get(0).id());
        assertThat(after.named("output")).extracting(e -> e.json().get("text").asString()).containsExactly("b\n", "c\n");
        // an id this platform never gave starts from the beginning
        assertThat(EventStreamClient.read(base(), "/api/eval/" + id + "/events", null, "not-an-id").named("output")).hasSize(3);
    }

    @Test
    void aQueuedEvaluationSaysItsPlaceThenRunsThenEnds() {
        // two slots: two sleepers hold them, so the third waits first in the queue
        String one = submit("import time; time.sleep(3)");
        String two = submit("import time; time.sleep(3)");
        await().atMost(Duration.ofSeconds(30)).until(() -> api.get("/api/eval/" + one).text("status").equals("running")
                && api.get("/api/eval/" + two).text("status").equals("running"));
        String waiting = submit("print('my turn')");
        EventStreamClient.Stream stream = EventStreamClient.read(base(), "/api/eval/" + waiting + "/events", null, null);
        List<JsonNode> statuses = stream.named("status").stream().map(EventStreamClient.Event::json).toList();
        assertThat(statuses.get(0).get("status").asString()).isEqualTo("queued");
        assertThat(statuses.get(0).get("queue_position").asLong()).isEqualTo(1);
        assertThat(statuses).extracting(s -> s.get("status").asString()).containsSubsequence("queued", "running", "completed");
        assertThat(text(stream.named("output"), "stdout")).isEqualTo("my turn\n");
        awaitEnd(one);
        awaitEnd(two);
    }
}
