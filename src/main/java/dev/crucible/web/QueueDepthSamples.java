package dev.crucible.web;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.crucible.evaluation.EvaluationRepository;
import dev.crucible.evaluation.QueueDatabase;
import dev.crucible.node.ServesUsers;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The shared queue's depth (queued single evaluations and batch items) every 30 s over the last
 * hour, in memory: the database keeps no history of it, so each process that serves the workers
 * page samples it from its own start and forgets it when it stops.
 */
@Component
@ServesUsers
class QueueDepthSamples {

    static final long EVERY_SECONDS = 30;
    static final Duration EVERY = Duration.ofSeconds(EVERY_SECONDS);
    static final Duration KEPT = Duration.ofHours(1);
    /** Longer than this between two samples, some were missed (the database did not answer). */
    static final Duration GAP = EVERY.multipliedBy(2);

    /** The queue's depth at one instant. */
    record Sample(Instant at, long depth) {
    }

    private final EvaluationRepository evaluations;
    private final Clock clock;
    private final Instant since;
    /** In the order taken; guarded by this. */
    private final Deque<Sample> samples = new ArrayDeque<>();

    QueueDepthSamples(EvaluationRepository evaluations, Clock clock) {
        this.evaluations = evaluations;
        this.clock = clock;
        this.since = clock.instant();
    }

    @Scheduled(initialDelay = 0, fixedRate = EVERY_SECONDS, timeUnit = TimeUnit.SECONDS)
    void sample() {
        record(new Sample(clock.instant(), evaluations.countQueued(QueueDatabase.Lane.ANY)));
    }

    synchronized void record(Sample sample) {
        samples.addLast(sample);
        while (samples.getFirst().at().isBefore(sample.at().minus(KEPT))) {
            samples.removeFirst();
        }
    }

    /** The samples of the hour before {@code now}, oldest first (sorted: the wall clock may have been set back). */
    synchronized List<Sample> lastHour(Instant now) {
        Instant from = now.minus(KEPT);
        return samples.stream().filter(s -> !s.at().isBefore(from) && !s.at().isAfter(now))
                .sorted(Comparator.comparing(Sample::at)).toList();
    }

    /** When this process started sampling: nothing before is known. */
    Instant since() {
        return since;
    }
}
