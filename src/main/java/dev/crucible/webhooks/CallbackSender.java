package dev.crucible.webhooks;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.crucible.evaluation.EvaluationDocuments;
import dev.crucible.evaluation.EvaluationEvents;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Delivers the callbacks owed (see CallbackRepository): each due one is claimed for one try and
 * POSTed, signed, on a thread of its own, at most {@code senders} at once, so a slow or dead
 * receiver holds one sender and never the queue or another receiver. A 2xx answer delivers it;
 * anything else (an error status, a redirect, which is never followed, a timeout, a refused
 * connection) is retried after {@code retry-base}, doubling, until {@code max-age} after the
 * evaluation's end, and then it is failed. Every process sharing the database sends; the claim
 * makes each try one process's.
 *
 * <p>At least once: a process killed after the receiver answered but before the answer was
 * recorded sends again after the lease; {@code Crucible-Event-Id} lets a receiver see the repeat.
 */
@Component
class CallbackSender implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(CallbackSender.class);

    static final String EVENT_ID = "Crucible-Event-Id";
    static final String EVENT = "Crucible-Event";

    private final CallbackRepository callbacks;
    private final CallbackAddresses addresses;
    private final WebhookSecret secret;
    private final WebhookProperties properties;
    private final EvaluationDocuments documents;
    private final dev.crucible.batch.BatchDocuments batchDocuments;
    private final Clock clock;
    private final HttpClient http;
    private final Semaphore inFlight;
    private final Object wake = new Object();
    private boolean woken;
    private volatile boolean running;
    private Thread loop;
    private ExecutorService senders;

    CallbackSender(CallbackRepository callbacks, CallbackAddresses addresses, WebhookSecret secret,
            WebhookProperties properties, EvaluationDocuments documents, dev.crucible.batch.BatchDocuments batchDocuments,
            Clock clock) {
        this.batchDocuments = batchDocuments;
        this.callbacks = callbacks;
        this.addresses = addresses;
        this.secret = secret;
        this.properties = properties;
        this.documents = documents;
        this.clock = clock;
        this.inFlight = new Semaphore(properties.senders());
        this.http = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(properties.connectTimeout())
                .build();
    }

    @EventListener
    void onEnded(EvaluationEvents.Ended ended) {
        wake();
    }

    @EventListener
    void onEndedElsewhere(EvaluationEvents.EndedElsewhere ended) {
        wake();
    }

    /** Looks for due callbacks now (an end, an admin's retry). */
    void wake() {
        synchronized (wake) {
            woken = true;
            wake.notifyAll();
        }
    }

    private void sendLoop() {
        while (running) {
            try {
                sendDue();
            } catch (RuntimeException e) {
                // the database may be restarting: the callbacks wait in it
                log.warn("Looking for due callbacks failed ({}); trying again in {}", e.getMessage(), properties.pollInterval());
            }
            synchronized (wake) {
                if (!woken && running) {
                    try {
                        wake.wait(properties.pollInterval().toMillis());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
                woken = false;
            }
        }
    }

    /** Claims as many due callbacks as there are free senders and hands each to one. */
    void sendDue() {
        int free = inFlight.availablePermits();
        if (free == 0) {
            return;
        }
        Instant now = clock.instant();
        List<CallbackRepository.Due> due = new java.util.ArrayList<>(callbacks.due(CallbackRepository.Subject.EVALUATION, now, free));
        if (due.size() < free) {
            due.addAll(callbacks.due(CallbackRepository.Subject.BATCH, now, free - due.size()));
        }
        for (CallbackRepository.Due d : due) {
            if (!inFlight.tryAcquire()) {
                return;
            }
            boolean handed = false;
            try {
                // held while the request may take: connecting, the whole answer, and a margin
                Instant lease = now.plus(properties.connectTimeout()).plus(properties.readTimeout()).plusSeconds(30);
                if (callbacks.claim(d, lease)) {
                    int attempt = d.attempts() + 1;
                    senders.execute(() -> {
                        try {
                            send(d, attempt);
                        } finally {
                            inFlight.release();
                            wake();
                        }
                    });
                    handed = true;
                }
            } finally {
                if (!handed) {
                    inFlight.release();
                }
            }
        }
    }

    private void send(CallbackRepository.Due due, int attempt) {
        String problem;
        try {
            problem = post(due);
        } catch (RuntimeException e) {
            problem = "could not send: " + e.getMessage();
        }
        Instant now = clock.instant();
        try {
            if (problem == null) {
                callbacks.delivered(due.subject(), due.id(), attempt, now);
                return;
            }
            Instant next = now.plus(properties.backoff(attempt));
            if (next.isAfter(due.endedAt().plus(properties.maxAge()))) {
                log.warn("Callback of {} to {} failed after {} tries: {}", due.id(), hostOf(due.url()), attempt, problem);
                callbacks.failed(due.subject(), due.id(), attempt, problem + " (gave up after " + attempt + " tries)");
            } else {
                log.info("Callback of {} to {} failed (try {}): {}; trying again at {}", due.id(), hostOf(due.url()),
                        attempt, problem, next);
                callbacks.retryAt(due.subject(), due.id(), attempt, problem, next);
            }
        } catch (RuntimeException e) {
            // the database went away: the lease runs out and the try is made again
            log.warn("Could not record the callback of {} ({}); it is tried again", due.id(), e.getMessage());
        }
    }

    /** One try; null when the receiver took it, else why not. */
    private String post(CallbackRepository.Due due) {
        URI uri = URI.create(due.url());
        Optional<String> refused = addresses.hostRefusal(uri.getHost());
        if (refused.isPresent()) {
            return refused.get();
        }
        Optional<String> document = due.subject() == CallbackRepository.Subject.EVALUATION ? documents.of(due.id())
                : batchDocuments.of(due.id());
        if (document.isEmpty()) {
            return "the " + due.subject().table + " is gone";
        }
        byte[] body = document.get().getBytes(StandardCharsets.UTF_8);
        long t = clock.instant().getEpochSecond();
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(properties.readTimeout())
                .header("Content-Type", "application/json")
                .header("User-Agent", "Crucible-Webhooks/1")
                .header(EVENT, due.subject().event())
                .header(EVENT_ID, due.subject().event() + "." + due.id())
                .header(WebhookSignature.HEADER, WebhookSignature.header(signingSecret(due), t, body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        try {
            HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
            int status = response.statusCode();
            if (status >= 200 && status < 300) {
                return null;
            }
            if (status >= 300 && status < 400) {
                return "HTTP " + status + ": redirects are not followed"
                        + response.headers().firstValue("Location").map(l -> " (to " + l + ")").orElse("");
            }
            return "HTTP " + status;
        } catch (java.net.http.HttpTimeoutException e) {
            return "no answer within " + properties.readTimeout().toSeconds() + " s";
        } catch (java.net.ConnectException e) {
            return "connection refused" + (e.getMessage() == null ? "" : ": " + e.getMessage());
        } catch (java.io.IOException e) {
            return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted (the platform is stopping)";
        }
    }

    /** The secret of the API key the evaluation was submitted with; the installation's without one. */
    private String signingSecret(CallbackRepository.Due due) {
        return due.apiKeyId() == null ? secret.value()
                : callbacks.signingSecretOf(due.apiKeyId()).filter(s -> !s.isBlank()).orElse(secret.value());
    }

    private static String hostOf(String url) {
        try {
            return URI.create(url).getHost();
        } catch (IllegalArgumentException e) {
            return "?";
        }
    }

    @Override
    public void start() {
        AtomicInteger n = new AtomicInteger();
        senders = Executors.newFixedThreadPool(properties.senders(), r -> {
            Thread t = new Thread(r, "callback-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        running = true;
        loop = new Thread(this::sendLoop, "callbacks");
        loop.setDaemon(true);
        loop.start();
    }

    @Override
    public void stop() {
        running = false;
        wake();
        if (senders != null) {
            // a try cut short is made again after its lease
            senders.shutdownNow();
            try {
                senders.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
