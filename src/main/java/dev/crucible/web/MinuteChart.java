package dev.crucible.web;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * A chart of the last hour as inline SVG, drawn on the server (no script, nothing the
 * Content-Security-Policy has to allow): one SVG path in a box 60 units wide, a unit a minute,
 * and {@value #HEIGHT} high, from 0 to {@code top} (the peak, at least 1), the y-axis' label. The
 * page stretches the box to its own size and keeps strokes unscaled. {@code summary} says in
 * words what the chart shows, for its title and screen readers.
 */
record MinuteChart(String path, long top, String summary) {

    static final int WIDTH = 60;
    static final int HEIGHT = 20;

    public String viewBox() {
        return "0 0 " + WIDTH + " " + HEIGHT;
    }

    /** A bar for each of the last 60 minutes: how many evaluations ended in it. */
    static MinuteChart endedPerMinute(long[] perMinute) {
        long peak = Arrays.stream(perMinute).max().orElse(0);
        long total = Arrays.stream(perMinute).sum();
        StringBuilder path = new StringBuilder();
        for (int minute = 0; minute < perMinute.length; minute++) {
            if (perMinute[minute] > 0) {
                String height = number(HEIGHT - y(perMinute[minute], peak));
                path.append('M').append(number(minute + 0.1)).append(' ').append(HEIGHT)
                        .append("v-").append(height).append("h0.8v").append(height).append('z');
            }
        }
        return new MinuteChart(path.toString(), top(peak), total + " ended in the last hour, peak " + peak + "/min");
    }

    /**
     * A line through the samples of the hour before {@code now}, placed by their time; where two
     * are further apart than {@link QueueDepthSamples#GAP} (samples were missed) the line breaks.
     */
    static MinuteChart queueDepth(List<QueueDepthSamples.Sample> samples, Instant now) {
        long peak = samples.stream().mapToLong(QueueDepthSamples.Sample::depth).max().orElse(0);
        Instant start = now.minus(Duration.ofMinutes(WIDTH));
        StringBuilder path = new StringBuilder();
        Instant previous = null;
        for (QueueDepthSamples.Sample sample : samples) {
            String x = number(Duration.between(start, sample.at()).toMillis() / 60_000.0);
            String y = number(y(sample.depth(), peak));
            boolean joined = previous != null && Duration.between(previous, sample.at()).compareTo(QueueDepthSamples.GAP) <= 0;
            // a lone point is a dot: a stroke of (almost) no length with round caps
            path.append(joined ? "L" : "M").append(x).append(' ').append(y).append(joined ? "" : "h0.01");
            previous = sample.at();
        }
        String summary = samples.isEmpty() ? "no queue depth sampled yet"
                : "queue depth now " + samples.get(samples.size() - 1).depth() + ", peak " + peak + " in "
                        + samples.size() + (samples.size() == 1 ? " sample" : " samples");
        return new MinuteChart(path.toString(), top(peak), summary);
    }

    /** The top of the y-axis: the peak, and 1 when all is 0 (a line along the bottom, not a 0 to 0 axis). */
    private static long top(long peak) {
        return Math.max(1, peak);
    }

    /** Where {@code value} is in the box: {@value #HEIGHT} at the bottom, 0 at the top. */
    private static double y(long value, long peak) {
        return HEIGHT - (double) value * HEIGHT / top(peak);
    }

    /** At most two decimals, no trailing zeros: short paths. */
    private static String number(double value) {
        return BigDecimal.valueOf(value).setScale(2, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString();
    }
}
