package dev.crucible.metrics;

import java.time.Duration;

import dev.crucible.dispatch.Dispatcher;
import dev.crucible.evaluation.EvaluationEvents;
import dev.crucible.evaluation.EvaluationRepository;
import dev.crucible.evaluation.EvaluationStatus;
import dev.crucible.evaluation.QueueDatabase;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Crucible's own metrics, scraped at {@code /actuator/prometheus} on every node:
 * <ul>
 * <li>{@code crucible_queue_depth{lane}}: queued evaluations, interactive and batch (what an
 * autoscaler scales workers on); {@code crucible_evaluations_running}: running, on every worker
 * (both read from the shared database, so every node reports the same);</li>
 * <li>{@code crucible_evaluations_ended_total{status, failure_reason}} and
 * {@code crucible_run_seconds{language}} (a histogram): the ends this node recorded;</li>
 * <li>{@code crucible_worker_slots} and {@code crucible_worker_slots_used}: this node's slots
 * (nodes that run evaluations only).</li>
 * </ul>
 */
@Component
class CrucibleMetrics {

    private final MeterRegistry registry;

    CrucibleMetrics(MeterRegistry registry, EvaluationRepository evaluations, ObjectProvider<Dispatcher> dispatcher) {
        this.registry = registry;
        for (QueueDatabase.Lane lane : new QueueDatabase.Lane[] {QueueDatabase.Lane.INTERACTIVE, QueueDatabase.Lane.BATCH}) {
            Gauge.builder("crucible.queue.depth", evaluations, e -> e.countQueued(lane))
                    .description("Queued evaluations, by lane").tag("lane", lane.name().toLowerCase())
                    .register(registry);
        }
        Gauge.builder("crucible.evaluations.running", evaluations, e -> e.count(EvaluationStatus.RUNNING))
                .description("Evaluations running on every worker").register(registry);
        dispatcher.ifAvailable(d -> {
            Gauge.builder("crucible.worker.slots", d, Dispatcher::concurrency)
                    .description("Evaluations this worker may run at once").register(registry);
            Gauge.builder("crucible.worker.slots.used", d, Dispatcher::running)
                    .description("Evaluations this worker runs now").register(registry);
        });
    }

    @EventListener
    void ended(EvaluationEvents.Ended ended) {
        Counter.builder("crucible.evaluations.ended")
                .description("Evaluations that ended here, by status and failure reason")
                .tag("status", ended.status().wire())
                .tag("failure_reason", ended.failureReason() == null ? "none" : ended.failureReason())
                .register(registry).increment();
        if (ended.runtimeMs() != null) {
            Timer.builder("crucible.run")
                    .description("Run time of the programs that ran here, by language")
                    .tag("language", ended.language() == null ? "unknown" : ended.language())
                    .publishPercentileHistogram()
                    .minimumExpectedValue(Duration.ofMillis(5))
                    .maximumExpectedValue(Duration.ofMinutes(5))
                    .register(registry).record(Duration.ofMillis(ended.runtimeMs()));
        }
    }
}
