package dev.crucible.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import dev.crucible.web.QueueDepthSamples.Sample;
import org.junit.jupiter.api.Test;

/** The last hour's charts as SVG paths in a box 60 wide (a unit a minute) and 20 high. */
class MinuteChartTest {

    static final Instant NOW = Instant.parse("2026-03-01T10:30:00Z");

    @Test
    void aBarForEachMinuteThatHadEndsAsHighAsItsCountAgainstThePeak() {
        long[] perMinute = new long[60];
        perMinute[0] = 1;
        perMinute[30] = 3;
        perMinute[59] = 4;

        MinuteChart chart = MinuteChart.endedPerMinute(perMinute);

        assertThat(chart.path()).isEqualTo("M0.1 20v-5h0.8v5zM30.1 20v-15h0.8v15zM59.1 20v-20h0.8v20z");
        assertThat(chart.top()).isEqualTo(4);
        assertThat(chart.summary()).isEqualTo("8 ended in the last hour, peak 4/min");
        assertThat(chart.viewBox()).isEqualTo("0 0 60 20");
    }

    @Test
    void nothingEndedDrawsNoBar() {
        MinuteChart chart = MinuteChart.endedPerMinute(new long[60]);

        assertThat(chart.path()).isEmpty();
        assertThat(chart.summary()).isEqualTo("0 ended in the last hour, peak 0/min");
        assertThat(chart.top()).isEqualTo(1);
    }

    @Test
    void theQueueDepthIsALinePlacedByTimeThatBreaksWhereSamplesWereMissed() {
        List<Sample> samples = List.of(new Sample(NOW.minusSeconds(3600), 0), new Sample(NOW.minusSeconds(3570), 2),
                // a minute and more without a sample: the line breaks
                new Sample(NOW.minusSeconds(30), 4), new Sample(NOW, 1));

        MinuteChart chart = MinuteChart.queueDepth(samples, NOW);

        assertThat(chart.path()).isEqualTo("M0 20h0.01L0.5 10M59.5 0h0.01L60 15");
        assertThat(chart.top()).isEqualTo(4);
        assertThat(chart.summary()).isEqualTo("queue depth now 1, peak 4 in 4 samples");
    }

    @Test
    void anEmptyQueueIsALineAlongTheBottom() {
        MinuteChart chart = MinuteChart.queueDepth(List.of(new Sample(NOW.minusSeconds(30), 0), new Sample(NOW, 0)), NOW);

        assertThat(chart.path()).isEqualTo("M59.5 20h0.01L60 20");
        assertThat(chart.summary()).isEqualTo("queue depth now 0, peak 0 in 2 samples");
    }

    @Test
    void beforeTheFirstSampleThereIsNothingToDraw() {
        MinuteChart chart = MinuteChart.queueDepth(List.of(), NOW);

        assertThat(chart.path()).isEmpty();
        assertThat(chart.summary()).isEqualTo("no queue depth sampled yet");
    }
}
