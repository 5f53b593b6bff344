package dev.crucible.sandbox;

import static dev.crucible.sandbox.LauncherFramesTest.concat;
import static dev.crucible.sandbox.LauncherFramesTest.frame;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.StreamType;
import org.junit.jupiter.api.Test;

/**
 * The host's side of the launcher's file and case frames, fed the bytes a launcher (or something
 * pretending to be one) could send: the host keeps its own caps and refuses names that are not
 * plain relative paths, whatever the container says.
 */
class OutputCaptureTest {

    static byte[] file(String name, boolean executable) {
        byte[] path = name.getBytes(StandardCharsets.UTF_8);
        byte[] payload = new byte[path.length + 1];
        payload[0] = (byte) (executable ? 1 : 0);
        System.arraycopy(path, 0, payload, 1, path.length);
        return frame(4, payload);
    }

    static OutputCapture.Captured feed(OutputCapture capture, byte[] bytes) {
        capture.onNext(new Frame(StreamType.STDOUT, bytes));
        return capture.finish();
    }

    @Test
    void namesThatClimbOrAreAbsoluteAreRefusedAndTheCapsHoldOnTheHost() {
        OutputCapture capture = new OutputCapture(1024, () -> { }, new SandboxRequest.Collect("/out", 2, 10), 0,
                ExecutionBackend.OutputListener.NONE);
        OutputCapture.Captured got = feed(capture, concat(
                file("../../etc/cron.d/x", false), frame(5, "evil"),
                file("/etc/passwd", false), frame(5, "evil"),
                file("ok.txt", true), frame(5, "12345"),
                file("big.bin", false), frame(5, "123456"),
                file("third.txt", false), frame(5, "x")));
        assertThat(got.files()).extracting(CollectedFile::name).containsExactly("ok.txt", "third.txt");
        assertThat(got.files().get(0).executable()).isTrue();
        assertThat(new String(got.files().get(0).content(), StandardCharsets.UTF_8)).isEqualTo("12345");
        assertThat(String.join("\n", got.notes())).contains("../../etc/cron.d/x was not kept")
                .contains("/etc/passwd was not kept").contains("big.bin was not kept: the files passed the cap of 10 bytes");
    }

    @Test
    void eachCasesOutputIsItsOwnAndCutAtTheCasesLimit() {
        OutputCapture capture = new OutputCapture(1 << 20, () -> { }, null, 4, ExecutionBackend.OutputListener.NONE);
        byte[] end = ByteBuffer.allocate(33).putInt(0).putInt(0).put((byte) 0).putLong(12_000).putLong(3_000).putLong(2_048)
                .array();
        byte[] killed = ByteBuffer.allocate(33).putInt(1).putInt(9).put((byte) 1).putLong(2_000_000).putLong(1_999_000)
                .putLong(4_096).array();
        OutputCapture.Captured got = feed(capture, concat(
                frame(7, ByteBuffer.allocate(4).putInt(0).array()), frame(1, "first"), frame(2, "e"), frame(8, end),
                frame(7, ByteBuffer.allocate(4).putInt(1).array()), frame(1, "x"), frame(8, killed)));
        assertThat(got.cases()).hasSize(2);
        SandboxOutcome.CaseOutcome first = got.cases().get(0);
        assertThat(first.stdout()).isEqualTo("firs");
        assertThat(first.truncated()).isTrue();
        assertThat(first.stderr()).isEqualTo("e");
        assertThat(first.exitCode()).isZero();
        assertThat(first.runtimeMs()).isEqualTo(12);
        assertThat(first.cpuTimeMs()).isEqualTo(3);
        assertThat(first.peakMemoryKb()).isEqualTo(2_048);
        SandboxOutcome.CaseOutcome second = got.cases().get(1);
        assertThat(second.stdout()).isEqualTo("x");
        assertThat(second.signalled()).isTrue();
        assertThat(second.exitCode()).isEqualTo(137);
        assertThat(second.timedOut()).isTrue();
        // nothing of the cases is the run's own output
        assertThat(got.stdout()).isEmpty();
    }

    /**
     * Live output: what the listener hears, put together in order, is exactly the combined output
     * (a character split between two frames arrives whole, the cap of each stream cuts it the same
     * way), and
     * each piece says its stream. Frames 1 and 2 are the program's stdout and stderr.
     */
    @Test
    void theLiveListenerHearsTheCombinedOutputPieceByPieceWithItsStreams() {
        java.util.List<String> heard = new java.util.ArrayList<>();
        OutputCapture capture = new OutputCapture(12, () -> { }, null, 0,
                (stderr, text) -> heard.add((stderr ? "E:" : "O:") + text));
        byte[] euro = "\u20ac".getBytes(StandardCharsets.UTF_8);
        capture.onNext(new Frame(StreamType.STDOUT, concat(frame(1, "one\n"), frame(2, "oops\n"),
                frame(1, java.util.Arrays.copyOf(euro, 1)))));
        assertThat(heard).containsExactly("O:one\n", "E:oops\n");
        capture.onNext(new Frame(StreamType.STDOUT, concat(frame(1, java.util.Arrays.copyOfRange(euro, 1, 3)),
                frame(1, "two\nthree and more than the cap\n"))));
        OutputCapture.Captured got = capture.finish();
        assertThat(heard).containsExactly("O:one\n", "E:oops\n", "O:\u20ac", "O:two\nt");
        assertThat(String.join("", heard.stream().map(h -> h.substring(2)).toList())).isEqualTo(got.combined());
        assertThat(got.truncated()).isTrue();
    }
}
