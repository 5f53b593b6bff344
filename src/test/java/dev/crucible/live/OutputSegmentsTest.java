package dev.crucible.live;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class OutputSegmentsTest {

    private static List<String> pieces(String output, String segments, boolean out, boolean err, int from) {
        return OutputSegments.slice(output, segments, out, err, from).stream()
                .map(p -> (p.stderr() == null ? "m" : p.stderr() ? "e" : "o") + ":" + p.text() + "@" + p.end()).toList();
    }

    @Test
    void theBuilderMergesStretchesOfOneStreamAndSaysNullForNoOutput() {
        OutputSegments.Builder b = new OutputSegments.Builder();
        assertThat(b.encode()).isNull();
        b.add(false, 2);
        b.add(false, 3);
        b.add(true, 0);
        b.add(true, 4);
        b.add(false, 1);
        assertThat(b.encode()).isEqualTo("o5,e4,o1");
    }

    @Test
    void pastTheCapTheRestIsOneMixedStretch() {
        OutputSegments.Builder b = new OutputSegments.Builder();
        for (int i = 0; i < OutputSegments.MAX_SEGMENTS + 10; i++) {
            b.add(i % 2 == 1, 1);
        }
        String encoded = b.encode();
        assertThat(encoded.split(",")).hasSize(OutputSegments.MAX_SEGMENTS + 1);
        assertThat(encoded).endsWith(",m10");
    }

    @Test
    void aSliceStartsAnywhereAndGivesEachStretchItsStream() {
        String output = "one\noops\ntwo\n";
        assertThat(pieces(output, "o4,e5,o4", true, true, 0)).containsExactly("o:one\n@4", "e:oops\n@9", "o:two\n@13");
        assertThat(pieces(output, "o4,e5,o4", true, true, 6)).containsExactly("e:ps\n@9", "o:two\n@13");
        assertThat(pieces(output, "o4,e5,o4", true, true, 13)).isEmpty();
    }

    @Test
    void withoutSegmentsTheRestIsOneStretchOfTheOnlyStreamOrMixed() {
        assertThat(pieces("abc", null, true, false, 1)).containsExactly("o:bc@3");
        assertThat(pieces("abc", null, false, true, 0)).containsExactly("e:abc@3");
        assertThat(pieces("abc", null, true, true, 0)).containsExactly("m:abc@3");
        // segments that fall short of the output leave the rest to the same rule
        assertThat(pieces("abcdef", "o2,x", true, true, 0)).containsExactly("o:ab@2", "m:cdef@6");
        assertThat(pieces(null, "o2", true, false, 0)).isEmpty();
    }
}
