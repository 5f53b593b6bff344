package dev.crucible.evaluation;

import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Carries this process's evaluation events to the other processes sharing the database, and
 * theirs to this one, over {@link NodeSignals}: a submission wakes idle workers, a cancel reaches
 * the worker running the evaluation, an end reaches the node where a client waits for it, a run's
 * start and its new live output reach the nodes whose event streams follow the evaluation. Each
 * message is one line, {@code kind origin evalId [status]}; a process ignores its own. What
 * arrives is published here as the matching event (an end as {@link EvaluationEvents.EndedElsewhere}),
 * and is not sent on again.
 */
@Component
class SignalRelay implements SmartLifecycle, NodeSignals.Listener {

    private static final Logger log = LoggerFactory.getLogger(SignalRelay.class);
    private static final String QUEUED = "queued";
    private static final String CANCEL = "cancel";
    private static final String ENDED = "ended";
    private static final String OUTPUT = "output";
    private static final String STARTED = "started";
    private static final String ANY = "-";

    /** Set while this relay publishes what another process sent, so that it is not sent back. */
    private static final ThreadLocal<Boolean> RELAYING = ThreadLocal.withInitial(() -> false);

    private final NodeSignals signals;
    private final ApplicationEventPublisher events;
    private final String origin = UUID.randomUUID().toString();
    private boolean listening;

    SignalRelay(NodeSignals signals, ApplicationEventPublisher events) {
        this.signals = signals;
        this.events = events;
    }

    @EventListener
    void onSubmitted(EvaluationEvents.Submitted submitted) {
        send(QUEUED, submitted.evalId() == null ? ANY : submitted.evalId(), null);
    }

    @EventListener
    void onCancelRequested(EvaluationEvents.CancelRequested request) {
        send(CANCEL, request.evalId(), null);
    }

    @EventListener
    void onEnded(EvaluationEvents.Ended ended) {
        send(ENDED, ended.evalId(), ended.status());
    }

    @EventListener
    void onStarted(EvaluationEvents.Started started) {
        send(STARTED, started.evalId(), null);
    }

    @EventListener
    void onOutputWritten(EvaluationEvents.OutputWritten written) {
        send(OUTPUT, written.evalId(), null);
    }

    private void send(String kind, String evalId, EvaluationStatus status) {
        if (!RELAYING.get()) {
            signals.send(kind + " " + origin + " " + evalId + (status == null ? "" : " " + status.name()));
        }
    }

    @Override
    public void received(String message) {
        String[] parts = message.split(" ");
        if (parts.length < 3 || parts[1].equals(origin)) {
            return;
        }
        String evalId = ANY.equals(parts[2]) ? null : parts[2];
        Object event = switch (parts[0]) {
            case QUEUED -> new EvaluationEvents.Submitted(evalId);
            case CANCEL -> new EvaluationEvents.CancelRequested(evalId);
            case OUTPUT -> new EvaluationEvents.OutputWritten(evalId);
            case STARTED -> new EvaluationEvents.Started(evalId);
            case ENDED -> parts.length == 4 ? new EvaluationEvents.EndedElsewhere(evalId, EvaluationStatus.valueOf(parts[3])) : null;
            default -> null;
        };
        if (event == null) {
            log.debug("Ignoring a signal this version does not know: {}", message);
            return;
        }
        publish(event);
    }

    /** Signals were missed while the connection was down: whoever waits for work looks once. */
    @Override
    public void reconnected() {
        publish(new EvaluationEvents.Submitted(null));
    }

    private void publish(Object event) {
        RELAYING.set(true);
        try {
            events.publishEvent(event);
        } finally {
            RELAYING.set(false);
        }
    }

    /** Listens from start-up to the end of the process (a paused context keeps listening). */
    @Override
    public synchronized void start() {
        if (!listening) {
            signals.listen(this);
            listening = true;
        }
    }

    @Override
    public void stop() {
        // the signals' bean closes the connection when the context closes
    }

    @Override
    public synchronized boolean isRunning() {
        return listening;
    }

    @Override
    public int getPhase() {
        // before the dispatcher (10), so the first submission it could miss is already heard
        return 5;
    }
}
