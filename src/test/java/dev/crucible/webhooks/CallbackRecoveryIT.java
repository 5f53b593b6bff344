package dev.crucible.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import dev.crucible.support.Api;
import dev.crucible.support.CallbackReceiver;
import dev.crucible.support.PlatformProcess;
import dev.crucible.support.TempStorage;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A callback owed when the platform is killed with SIGKILL is delivered by the next start: the
 * end and the notification it owes are one row, written by one statement.
 */
@Tag("docker")
class CallbackRecoveryIT {

    static final String[] SETTINGS = {"crucible.webhooks.secret=" + WebhooksTest.SECRET,
            "crucible.webhooks.allowed-hosts=127.0.0.1", "crucible.webhooks.retry-base=500ms"};

    @Test
    void aCallbackOwedAtKillMinus9IsDeliveredAfterTheRestart() throws Exception {
        Path storage = TempStorage.create("callbacks");
        int port = PlatformProcess.freePort();
        String url = "http://127.0.0.1:" + port + "/hook";
        String id;
        try (PlatformProcess first = new PlatformProcess(storage, SETTINGS).start()) {
            Api api = first.api();
            id = api.post("/api/eval", Api.JSON.writeValueAsString(Map.of("code", "print('owed')", "callback_url", url)))
                    .text("eval_id");
            // ended, and the receiver is not there yet: the callback is owed
            await().atMost(Duration.ofSeconds(60)).until(() -> "completed".equals(api.get("/api/eval/" + id).text("status")));
            await().atMost(Duration.ofSeconds(10)).until(() -> api.get("/api/eval/" + id).json().get("callback")
                    .get("attempts").asInt() >= 1);
            assertThat(api.get("/api/eval/" + id).json().get("callback").get("status").asString()).isEqualTo("pending");
            first.kill9();
        }
        try (CallbackReceiver receiver = new CallbackReceiver(port);
                PlatformProcess second = new PlatformProcess(storage, SETTINGS).start()) {
            await().atMost(Duration.ofSeconds(60)).until(() -> receiver.at("/hook").size() == 1);
            CallbackReceiver.Received request = receiver.at("/hook").get(0);
            WebhooksTest.assertSigned(request);
            assertThat(Api.JSON.readTree(request.body()).get("eval_id").asString()).isEqualTo(id);
            assertThat(Api.JSON.readTree(request.body()).get("output").asString()).isEqualTo("owed\n");
            await().atMost(Duration.ofSeconds(10)).until(() -> "delivered".equals(
                    second.api().get("/api/eval/" + id).json().get("callback").get("status").asString()));
            Thread.sleep(1500);
            assertThat(receiver.at("/hook")).hasSize(1);
        }
    }
}
