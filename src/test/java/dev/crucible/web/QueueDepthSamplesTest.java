package dev.crucible.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import dev.crucible.web.QueueDepthSamples.Sample;
import org.junit.jupiter.api.Test;

/** The queue depth samples of this process: an hour of them, no more. */
class QueueDepthSamplesTest {

    static final Instant START = Instant.parse("2026-03-01T10:00:00Z");

    @Test
    void anHourOfSamplesIsKeptAndOlderOnesForgotten() {
        QueueDepthSamples samples = new QueueDepthSamples(null, Clock.fixed(START, ZoneOffset.UTC));
        for (int i = 0; i <= 140; i++) {
            samples.record(new Sample(START.plusSeconds(30L * i), i));
        }
        Instant now = START.plusSeconds(30L * 140);

        assertThat(samples.lastHour(now)).hasSize(121).first().isEqualTo(new Sample(START.plusSeconds(30L * 20), 20));
        assertThat(samples.lastHour(now)).last().isEqualTo(new Sample(now, 140));
        // an hour later than the last sample, nothing is left of the hour
        assertThat(samples.lastHour(now.plusSeconds(3601))).isEmpty();
        assertThat(samples.since()).isEqualTo(START);
    }

    @Test
    void samplesComeOutInTheirTimesOrderEvenIfTheClockWasSetBack() {
        QueueDepthSamples samples = new QueueDepthSamples(null, Clock.fixed(START, ZoneOffset.UTC));
        samples.record(new Sample(START.plusSeconds(60), 1));
        samples.record(new Sample(START.plusSeconds(30), 2));

        assertThat(samples.lastHour(START.plusSeconds(90))).extracting(Sample::depth).containsExactly(2L, 1L);
    }
}
