package dev.crucible.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

class LauncherFramesTest {

    private final List<String> received = new ArrayList<>();
    private final LauncherFrames frames = new LauncherFrames(
            (stream, data, offset, length) -> received.add(stream + ":" + new String(data, offset, length, StandardCharsets.UTF_8)));

    @Test
    void theLaunchersUsageFrameIsReadWhereverItIsCutAndNeverShownAsOutput() {
        List<long[]> usage = new ArrayList<>();
        LauncherFrames withUsage = new LauncherFrames(
                (stream, data, offset, length) -> received.add(stream + ":" + new String(data, offset, length, StandardCharsets.UTF_8)),
                (cpuMicros, maxRssKb) -> usage.add(new long[] {cpuMicros, maxRssKb}));
        byte[] figures = java.nio.ByteBuffer.allocate(16).putLong(1_234_567L).putLong(51_300L).array();
        byte[] stream = concat(frame(1, "out\n"), frame(3, figures));
        for (byte b : stream) {
            withUsage.feed(new byte[] {b});
        }
        assertThat(String.join("", received)).isEqualTo("1:o1:u1:t1:\n");
        assertThat(usage).hasSize(1);
        assertThat(usage.get(0)).containsExactly(1_234_567L, 51_300L);
    }

    @Test
    void theLaunchersRunTimeFrameIsReadAndNeverShownAsOutput() {
        List<Long> ran = new ArrayList<>();
        LauncherFrames withClock = new LauncherFrames(
                (stream, data, offset, length) -> received.add(stream + ":" + new String(data, offset, length, StandardCharsets.UTF_8)),
                new LauncherFrames.Usage() {
                    @Override
                    public void accept(long cpuMicros, long maxRssKb) {
                    }

                    @Override
                    public void ran(long micros) {
                        ran.add(micros);
                    }
                });
        for (byte b : concat(frame(1, "x"), frame(9, java.nio.ByteBuffer.allocate(8).putLong(20_345L).array()))) {
            withClock.feed(new byte[] {b});
        }
        assertThat(ran).containsExactly(20_345L);
        assertThat(String.join("", received)).isEqualTo("1:x");
    }

    @Test
    void aUsageFrameOfAnotherLengthBreaksTheFormat() {
        List<long[]> usage = new ArrayList<>();
        LauncherFrames withUsage = new LauncherFrames(
                (stream, data, offset, length) -> received.add(stream + ":" + length),
                (cpuMicros, maxRssKb) -> usage.add(new long[] {cpuMicros, maxRssKb}));
        withUsage.feed(frame(3, new byte[8]));
        assertThat(usage).isEmpty();
        assertThat(received).isNotEmpty().allMatch(r -> r.startsWith("1:"));
    }

    @Test
    void framesCutAnywhereComeOutWholeAndInOrder() {
        byte[] stream = concat(frame(1, "out one\n"), frame(2, "err\n"), frame(1, "out two\n"));
        // feed one byte at a time: every cut point, headers included
        for (byte b : stream) {
            frames.feed(new byte[] {b});
        }
        assertThat(String.join("", received)).isEqualTo(
                "1:o1:u1:t1: 1:o1:n1:e1:\n2:e2:r2:r2:\n1:o1:u1:t1: 1:t1:w1:o1:\n");
    }

    @Test
    void oneChunkWithManyFrames() {
        frames.feed(concat(frame(1, "a"), frame(2, "b"), frame(1, "c")));
        assertThat(received).containsExactly("1:a", "2:b", "1:c");
    }

    @Test
    void bytesThatBreakTheFormatArePassedOnAsStdout() {
        frames.feed("plain text without frames".getBytes(StandardCharsets.UTF_8));
        assertThat(String.join("", received.stream().map(s -> s.substring(2)).toList()))
                .isEqualTo("plain text without frames");
        assertThat(received).allMatch(s -> s.startsWith("1:"));
    }

    @Test
    void anOversizedLengthDoesNotMakeItWaitForever() {
        byte[] forged = {1, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff, 'x'};
        frames.feed(forged);
        assertThat(received).isNotEmpty();
        assertThat(received.get(received.size() - 1)).endsWith("x");
    }

    static byte[] frame(int stream, String text) {
        return frame(stream, text.getBytes(StandardCharsets.UTF_8));
    }

    static byte[] frame(int stream, byte[] data) {
        byte[] framed = Arrays.copyOf(new byte[] {(byte) stream, (byte) (data.length >>> 24), (byte) (data.length >>> 16),
                (byte) (data.length >>> 8), (byte) data.length}, 5 + data.length);
        System.arraycopy(data, 0, framed, 5, data.length);
        return framed;
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
