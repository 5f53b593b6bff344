package dev.crucible.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import dev.crucible.security.ApiKeys;
import dev.crucible.support.Api;
import dev.crucible.support.CallbackReceiver;
import dev.crucible.support.CallbackReceiver.Answer;
import dev.crucible.support.TempStorageInitializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ContextConfiguration;
import tools.jackson.databind.JsonNode;

/**
 * Webhooks end to end: real evaluations in real containers, a receiver on 127.0.0.1 (allowed here
 * by configuration; refused by default), signatures checked the way the README tells receivers to.
 */
@Tag("docker")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "crucible.images.pull-policy=never",
        "crucible.webhooks.secret=" + WebhooksTest.SECRET,
        "crucible.webhooks.allowed-hosts=127.0.0.1",
        "crucible.webhooks.retry-base=200ms",
        "crucible.webhooks.max-age=5s"})
@ContextConfiguration(initializers = TempStorageInitializer.class)
class WebhooksTest {

    static final String SECRET = "whsec_test_0123456789";

    @LocalServerPort
    int port;

    @Autowired
    ApiKeys keys;

    Api api;
    CallbackReceiver receiver;

    @BeforeEach
    void connect() {
        api = new Api("http://localhost:" + port);
        receiver = new CallbackReceiver();
    }

    @AfterEach
    void stopReceiver() {
        receiver.close();
    }

    String submit(String code, String callbackUrl) {
        Api.Response r = api.post("/api/eval", Api.JSON.writeValueAsString(Map.of("code", code, "callback_url", callbackUrl)));
        assertThat(r.status()).as(r.toString()).isEqualTo(202);
        return r.text("eval_id");
    }

    JsonNode callbackOf(String id) {
        return api.get("/api/eval/" + id).json().get("callback");
    }

    /** As a receiver checks it: t and v1 from the header, HMAC-SHA256 of "t.body" with the secret. */
    static void assertSigned(CallbackReceiver.Received request) throws Exception {
        assertSigned(request, SECRET);
    }

    static void assertSigned(CallbackReceiver.Received request, String secret) throws Exception {
        Matcher m = Pattern.compile("t=(\\d+),v1=([0-9a-f]{64})").matcher(request.header("Crucible-Signature"));
        assertThat(m.matches()).as(request.header("Crucible-Signature")).isTrue();
        long t = Long.parseLong(m.group(1));
        assertThat(Math.abs(Instant.now().getEpochSecond() - t)).as("signed just now").isLessThan(60);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String expected = HexFormat.of().formatHex(mac.doFinal((t + "." + request.body()).getBytes(StandardCharsets.UTF_8)));
        assertThat(m.group(2)).isEqualTo(expected);
    }

    @Test
    void theReceiverGetsTheEndOnceSignedAndTheEvaluationSaysItWasDelivered() throws Exception {
        String id = submit("print('called back')", receiver.url("/hook"));
        await().atMost(Duration.ofSeconds(30)).until(() -> receiver.at("/hook").size() == 1);
        CallbackReceiver.Received request = receiver.at("/hook").get(0);
        assertSigned(request);
        assertThat(request.header("Crucible-Event-Id")).isEqualTo("evaluation.ended." + id);
        assertThat(request.header("Content-Type")).isEqualTo("application/json");
        JsonNode body = Api.JSON.readTree(request.body());
        JsonNode get = api.get("/api/eval/" + id).json();
        // the same document as GET /api/eval/{id}, as it stood when sent
        assertThat(body.get("eval_id").asString()).isEqualTo(id);
        assertThat(body.get("status").asString()).isEqualTo("completed");
        assertThat(body.get("output").asString()).isEqualTo("called back\n");
        assertThat(body.properties()).extracting(Map.Entry::getKey)
                .containsExactlyElementsOf(get.properties().stream().map(Map.Entry::getKey).toList());
        await().atMost(Duration.ofSeconds(5)).until(() -> "delivered".equals(callbackOf(id).get("status").asString()));
        JsonNode callback = callbackOf(id);
        assertThat(callback.get("attempts").asInt()).isEqualTo(1);
        assertThat(callback.get("delivered_at").isNull()).isFalse();
        assertThat(api.get("/api/eval/" + id).text("callback_url")).isEqualTo(receiver.url("/hook"));
        Thread.sleep(1500);
        assertThat(receiver.at("/hook")).as("exactly once").hasSize(1);
    }

    @Test
    void anEvaluationSubmittedWithAnApiKeyIsSignedWithThatKeysSecret() throws Exception {
        ApiKeys.Created key = keys.create("webhooks-test");
        try {
            Api withKey = new Api("http://localhost:" + port, key.secret());
            Api.Response r = withKey.post("/api/eval", Api.JSON.writeValueAsString(Map.of("code", "print('keyed')",
                    "callback_url", receiver.url("/keyed"))));
            assertThat(r.status()).as(r.toString()).isEqualTo(202);
            await().atMost(Duration.ofSeconds(30)).until(() -> receiver.at("/keyed").size() == 1);
            assertSigned(receiver.at("/keyed").get(0), key.signingSecret());
            assertThatThrownBy(() -> assertSigned(receiver.at("/keyed").get(0), SECRET)).isInstanceOf(AssertionError.class);
        } finally {
            keys.revoke(key.key().id());
        }
    }

    @Test
    void aReceiverThatAnswers500TwiceGetsItOnTheThirdTry() throws Exception {
        receiver.answer("/flaky", n -> Answer.of(n <= 2 ? 500 : 204));
        String id = submit("print(3)", receiver.url("/flaky"));
        await().atMost(Duration.ofSeconds(30)).until(() -> "delivered".equals(callbackOf(id).get("status").asString()));
        assertThat(receiver.at("/flaky")).hasSize(3);
        for (CallbackReceiver.Received request : receiver.at("/flaky")) {
            assertSigned(request);
            assertThat(request.header("Crucible-Event-Id")).isEqualTo("evaluation.ended." + id);
        }
        assertThat(callbackOf(id).get("attempts").asInt()).isEqualTo(3);
        assertThat(callbackOf(id).get("last_error").asString()).isEqualTo("HTTP 500");
    }

    @Test
    void aRedirectIsNotFollowedAndACallbackNeverTakenFailsAfterMaxAgeThenAnAdminRetriesIt() {
        receiver.answer("/moved", n -> n == 1 ? new Answer(302, receiver.url("/inside")) : Answer.of(200));
        receiver.answer("/down", n -> Answer.of(503));
        String moved = submit("print('moved')", receiver.url("/moved"));
        String down = submit("print('down')", receiver.url("/down"));
        await().atMost(Duration.ofSeconds(30)).until(() -> !receiver.at("/moved").isEmpty());
        await().atMost(Duration.ofSeconds(10)).until(() -> callbackOf(moved).get("last_error").isString());
        assertThat(callbackOf(moved).get("last_error").asString()).contains("redirects are not followed");
        // the second try is the receiver's own answer, not the redirect's target
        await().atMost(Duration.ofSeconds(10)).until(() -> "delivered".equals(callbackOf(moved).get("status").asString()));
        assertThat(receiver.at("/inside")).isEmpty();

        // 503 on every try: failed once max-age (5 s here) after the end
        await().atMost(Duration.ofSeconds(40)).until(() -> "failed".equals(callbackOf(down).get("status").asString()));
        JsonNode failed = callbackOf(down);
        assertThat(failed.get("attempts").asInt()).isGreaterThanOrEqualTo(3);
        assertThat(failed.get("last_error").asString()).startsWith("HTTP 503").contains("gave up");
        int tries = receiver.at("/down").size();
        assertThat(tries).isEqualTo(failed.get("attempts").asInt());

        receiver.answer("/down", n -> Answer.of(200));
        Api.Response retried = api.post("/api/eval/" + down + "/callback/retry", "");
        assertThat(retried.status()).as(retried.toString()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(10)).until(() -> "delivered".equals(callbackOf(down).get("status").asString()));
        assertThat(receiver.at("/down")).hasSize(tries + 1);
        // only a failed callback can be retried
        assertThat(api.post("/api/eval/" + down + "/callback/retry", "").status()).isEqualTo(409);
    }

    @Test
    void aCallbackToAnInternalAddressIsRefusedAndNothingIsStored() {
        long before = api.get("/api/statistics").json().get("total_evaluations").asLong();
        for (String url : List.of(
                "http://169.254.169.254/latest/meta-data/",      // a cloud's metadata service
                "http://10.0.0.7:8080/hook",                    // private
                "http://192.168.1.1/hook",                      // private
                "http://[::1]:" + port + "/api/eval",           // loopback (only 127.0.0.1 is allowed here)
                "http://[::ffff:169.254.169.254]/",             // metadata, spelled as IPv6
                "http://100.64.0.1/hook",                       // carrier-grade NAT
                "http://0.0.0.0:" + port + "/",                 // unspecified: this host
                "ftp://example.com/hook",                       // not http
                "http://user:pass@127.0.0.1/hook",              // credentials in the URL
                "not a url")) {
            Api.Response r = api.post("/api/eval", Api.JSON.writeValueAsString(Map.of("code", "print(1)", "callback_url", url)));
            assertThat(r.status()).as(url + " " + r).isEqualTo(422);
            JsonNode problem = r.json().get("detail").get(0);
            assertThat(problem.get("loc").get(1).asString()).as(url).isEqualTo("callback_url");
            assertThat(problem.get("msg").asString()).as(url).startsWith("callback_url");
        }
        assertThat(api.get("/api/statistics").json().get("total_evaluations").asLong()).isEqualTo(before);
        assertThat(api.post("/api/eval", Api.JSON.writeValueAsString(Map.of("code", "print(1)",
                "callback_url", "http://169.254.169.254/"))).json().get("detail").get(0).get("msg").asString())
                .contains("169.254.169.254, a link-local address");
    }

    @Test
    void eachEntryOfAnEvalBatchIsCalledBackToItsOwnUrl() {
        Api.Response r = api.post("/api/eval-batch", Api.JSON.writeValueAsString(Map.of("evaluations", List.of(
                Map.of("code", "print('a')", "callback_url", receiver.url("/a")),
                Map.of("code", "print('b')", "callback_url", receiver.url("/b")),
                Map.of("code", "print('c')")))));
        assertThat(r.status()).as(r.toString()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(60)).until(() -> receiver.at("/a").size() == 1 && receiver.at("/b").size() == 1);
        assertThat(Api.JSON.readTree(receiver.at("/a").get(0).body()).get("output").asString()).isEqualTo("a\n");
        assertThat(Api.JSON.readTree(receiver.at("/b").get(0).body()).get("output").asString()).isEqualTo("b\n");
        String third = r.json().get("evaluations").get(2).get("eval_id").asString();
        assertThat(api.get("/api/eval/" + third).json().get("callback").isNull()).isTrue();
        // a refused callback_url fails its entry alone, as any other bad field does
        Api.Response bad = api.post("/api/eval-batch", Api.JSON.writeValueAsString(Map.of("evaluations", List.of(
                Map.of("code", "print(1)", "callback_url", "http://169.254.169.254/")))));
        assertThat(bad.json().get("evaluations").get(0).get("status").asString()).as(bad.toString()).isEqualTo("failed");
        assertThat(bad.json().get("evaluations").get(0).get("message").asString()).contains("callback_url");
    }

    /**
     * Submits {@code n} hello worlds (with {@code callbackUrl} when not null) and returns how long
     * until all ended (the queue asked every 50 ms: one cheap request, not one per evaluation).
     */
    Duration runAll(int n, String callbackUrl) {
        long started = System.nanoTime();
        List<String> ids = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            ids.add(callbackUrl == null ? api.post("/api/eval", "{\"code\": \"print(1)\"}").text("eval_id")
                    : submit("print(1)", callbackUrl));
        }
        await().atMost(Duration.ofSeconds(300)).pollInterval(Duration.ofMillis(50)).until(() -> {
            JsonNode queue = api.get("/api/queue/status").json();
            return queue.get("queued").asInt() == 0 && queue.get("processing").asInt() == 0;
        });
        Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
        assertThat(ids).allSatisfy(id -> assertThat(api.get("/api/eval/" + id).text("status")).isEqualTo("completed"));
        return elapsed;
    }

    @Test
    void aHundredEvaluationsWithCallbacksRunAsFastAsWithoutAndEachIsCalledBackOnce() throws Exception {
        receiver.answer("/slow", n -> {
            try {
                Thread.sleep(500); // a receiver that takes its time
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Answer.of(200);
        });
        runAll(5, null); // warm up
        Duration without = runAll(100, null);
        long sent = System.nanoTime();
        Duration with = runAll(100, receiver.url("/slow"));
        await().atMost(Duration.ofSeconds(120)).until(() -> receiver.at("/slow").size() >= 100);
        Duration delivered = Duration.ofNanos(System.nanoTime() - sent);
        System.out.printf("WebhooksTest: 100 evaluations in %d ms without callbacks, %d ms with (all 100 delivered "
                + "after %d ms, to a receiver taking 500 ms per answer)%n", without.toMillis(), with.toMillis(), delivered.toMillis());
        // once each, signed: 100 requests, 100 distinct events
        Thread.sleep(1000);
        List<CallbackReceiver.Received> requests = receiver.at("/slow");
        assertThat(requests).hasSize(100);
        assertThat(requests.stream().map(r -> r.header("Crucible-Event-Id")).distinct().count()).isEqualTo(100);
        for (CallbackReceiver.Received request : requests) {
            assertSigned(request);
        }
        // generous (the benchmark, bench/callbacks.sh, measures the ratio): a queue that waited for
        // its receivers would take 100 x 500 ms more
        assertThat(with).isLessThan(without.multipliedBy(3).dividedBy(2).plusSeconds(10));
    }

    @Test
    void aReceiverThatHangsDoesNotSlowTheQueue() {
        receiver.answer("/hangs", n -> {
            try {
                Thread.sleep(30_000); // past the 10 s read timeout
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Answer.of(200);
        });
        Duration without = runAll(20, null);
        Duration with = runAll(20, receiver.url("/hangs"));
        System.out.printf("WebhooksTest: 20 evaluations in %d ms without callbacks, %d ms with a receiver that hangs%n",
                without.toMillis(), with.toMillis());
        // generous: a queue that waited for the receiver would take 20 x 10 s
        assertThat(with).isLessThan(without.multipliedBy(2).plusSeconds(10));
    }

    static byte[] zip(Map<String, String> files) throws java.io.IOException {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.util.zip.ZipOutputStream zip = new java.util.zip.ZipOutputStream(bytes)) {
            for (Map.Entry<String, String> f : files.entrySet()) {
                zip.putNextEntry(new java.util.zip.ZipEntry(f.getKey()));
                zip.write(f.getValue().getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    @Test
    void aBatchUploadIsCalledBackOnceWhenTheWholeBatchHasEnded() throws Exception {
        byte[] archive = zip(Map.of("a.py", "print('a')", "b.py", "import time; time.sleep(1); print('b')"));
        Api.Response r = api.postFile("/api/batches", "file", "two.zip", archive, "callback_url", receiver.url("/batch"));
        assertThat(r.status()).as(r.toString()).isEqualTo(202);
        String batchId = r.text("batch_id");
        assertThat(r.text("callback_url")).isEqualTo(receiver.url("/batch"));
        await().atMost(Duration.ofSeconds(60)).until(() -> receiver.at("/batch").size() == 1);
        CallbackReceiver.Received request = receiver.at("/batch").get(0);
        assertSigned(request);
        assertThat(request.header("Crucible-Event")).isEqualTo("batch.ended");
        assertThat(request.header("Crucible-Event-Id")).isEqualTo("batch.ended." + batchId);
        JsonNode body = Api.JSON.readTree(request.body());
        assertThat(body.get("batch_id").asString()).isEqualTo(batchId);
        assertThat(body.get("status").asString()).isEqualTo("completed");
        assertThat(body.get("completed").asLong()).isEqualTo(2);
        // one call for the batch, none for its evaluations
        await().atMost(Duration.ofSeconds(5)).until(() ->
                "delivered".equals(api.get("/api/batches/" + batchId).json().get("callback").get("status").asString()));
        Thread.sleep(1000);
        assertThat(receiver.at("/batch")).hasSize(1);
        assertThat(api.post("/api/batches/" + batchId + "/callback/retry", "").status()).as("delivered").isEqualTo(409);
        assertThat(api.post("/api/batches/batch_20200101_000000_00000000/callback/retry", "").status()).isEqualTo(404);
        // an ended batch can be neither restarted nor cancelled: 409, as the document says
        assertThat(api.post("/api/batches/" + batchId + "/restart", "").status()).isEqualTo(409);
        assertThat(api.post("/api/batches/" + batchId + "/cancel", "").status()).isEqualTo(409);

        long batches = api.get("/api/batches").json().get("count").asLong();
        Api.Response refused = api.postFile("/api/batches", "file", "two.zip", archive, "callback_url", "http://10.0.0.1/");
        assertThat(refused.status()).as(refused.toString()).isEqualTo(422);
        assertThat(refused.json().get("detail").get(0).get("loc").get(1).asString()).isEqualTo("callback_url");
        assertThat(api.get("/api/batches").json().get("count").asLong()).isEqualTo(batches);
    }

    @Test
    void anEvaluationWithoutACallbackHasNone() {
        JsonNode e = api.evaluate(Map.of("code", "print(1)"));
        assertThat(e.get("callback_url").isNull()).isTrue();
        assertThat(e.get("callback").isNull()).isTrue();
    }
}
