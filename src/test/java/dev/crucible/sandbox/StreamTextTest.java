package dev.crucible.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class StreamTextTest {

    @Test
    void aCharacterSplitBetweenChunksStaysWhole() {
        byte[] bytes = "✓é".getBytes(StandardCharsets.UTF_8);
        StreamText text = new StreamText();
        StringBuilder seen = new StringBuilder();
        for (byte b : bytes) {
            seen.append(text.append(new byte[] {b}, 0, 1));
        }
        seen.append(text.finish());
        assertThat(seen.toString()).isEqualTo("✓é");
        assertThat(text.text()).isEqualTo("✓é");
        assertThat(text.bytes()).isEqualTo(bytes.length);
    }

    @Test
    void bytesThatAreNotUtf8BecomeReplacementCharacters() {
        StreamText text = new StreamText();
        text.append(new byte[] {'o', 'k', (byte) 0xff, (byte) 0xfe, ' '}, 0, 5);
        text.append(new byte[] {(byte) 0xe2, (byte) 0x9c}, 0, 2); // a truncated ✓ at the very end
        text.finish();
        assertThat(text.text()).isEqualTo("ok\uFFFD\uFFFD \uFFFD");
    }
}
