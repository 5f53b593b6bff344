package dev.crucible.live;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.crucible.evaluation.EvaluationEvents;
import dev.crucible.sandbox.ExecutionBackend;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DataAccessException;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Makes the output of the programs this process runs readable while they run, by event streams
 * on any node: every {@code crucible.live.flush-interval} (250 ms) the text that arrived since the
 * last look goes into {@code evaluation_output_chunk} in one batch, and an {@link
 * EvaluationEvents.OutputWritten} per evaluation wakes the streams that follow it (on other nodes
 * through the database's signals). So output reaches a client on another node about a quarter of
 * a second after the program wrote it, plus the signal's delivery. A run that ends before its
 * first flush writes nothing here at all: its recorded output and {@link OutputSegments} say it
 * all. When the database does not answer, the chunks wait for the next flush (nothing is skipped).
 */
@Component
public class LiveOutput {

    private static final Logger log = LoggerFactory.getLogger(LiveOutput.class);

    private final OutputChunks chunks;
    private final ApplicationEventPublisher events;
    private final Map<String, Run> runs = new ConcurrentHashMap<>();

    LiveOutput(OutputChunks chunks, ApplicationEventPublisher events) {
        this.chunks = chunks;
        this.events = events;
    }

    /**
     * Starts following the run of attempt {@code attempt} of {@code evalId} (and says it began:
     * event streams tell their clients it runs); close it when the run ends.
     */
    public Run open(String evalId, int attempt) {
        Run run = new Run(evalId, attempt);
        runs.put(evalId, run);
        events.publishEvent(new EvaluationEvents.Started(evalId));
        return run;
    }

    /**
     * One run's output as it arrives: what is not written yet, and the segments of all of it.
     * The backend calls {@link #output} on its own threads.
     */
    public final class Run implements ExecutionBackend.OutputListener, AutoCloseable {
        private final String evalId;
        private final int attempt;
        private final OutputSegments.Builder segments = new OutputSegments.Builder();
        /** What arrived since the last flush: stretches of one stream each. */
        private final List<Pending> pending = new ArrayList<>();
        private int offset;
        private boolean closed;

        private Run(String evalId, int attempt) {
            this.evalId = evalId;
            this.attempt = attempt;
        }

        @Override
        public synchronized void output(boolean stderr, String text) {
            if (closed || text.isEmpty()) {
                return;
            }
            segments.add(stderr, text.length());
            Pending last = pending.isEmpty() ? null : pending.get(pending.size() - 1);
            if (last == null || last.stderr != stderr) {
                last = new Pending(offset, stderr);
                pending.add(last);
            }
            last.text.append(text);
            offset += text.length();
        }

        /** {@code evaluation.output_segments} for the run's output: null when there was none. */
        public synchronized String segments() {
            return segments.encode();
        }

        private synchronized List<OutputChunks.Chunk> take() {
            List<OutputChunks.Chunk> taken = pending.stream().map(p -> new OutputChunks.Chunk(evalId, attempt, p.start,
                    p.start + p.text.length(), p.stderr, p.text.toString())).toList();
            pending.clear();
            return taken;
        }

        /** Chunks a flush could not write go back in front of what arrived meanwhile. */
        private synchronized void putBack(List<OutputChunks.Chunk> taken) {
            if (!closed) {
                List<Pending> back = new ArrayList<>();
                for (OutputChunks.Chunk c : taken) {
                    Pending p = new Pending(c.start(), c.stderr());
                    p.text.append(c.text());
                    back.add(p);
                }
                pending.addAll(0, back);
            }
        }

        /** Stops following: what was not written yet is left to the recorded output. */
        @Override
        public void close() {
            synchronized (this) {
                closed = true;
                pending.clear();
            }
            runs.remove(evalId, this);
        }
    }

    private static final class Pending {
        final int start;
        final boolean stderr;
        final StringBuilder text = new StringBuilder();

        Pending(int start, boolean stderr) {
            this.start = start;
            this.stderr = stderr;
        }
    }

    /** Writes what arrived since the last flush and tells the streams that follow it. */
    @Scheduled(fixedDelayString = "${crucible.live.flush-interval:250ms}")
    void flush() {
        if (runs.isEmpty()) {
            return;
        }
        List<Run> flushed = new ArrayList<>();
        List<List<OutputChunks.Chunk>> taken = new ArrayList<>();
        List<OutputChunks.Chunk> all = new ArrayList<>();
        for (Run run : runs.values()) {
            List<OutputChunks.Chunk> chunksOfRun = run.take();
            if (!chunksOfRun.isEmpty()) {
                flushed.add(run);
                taken.add(chunksOfRun);
                all.addAll(chunksOfRun);
            }
        }
        if (all.isEmpty()) {
            return;
        }
        try {
            chunks.add(all);
        } catch (DataAccessException e) {
            log.debug("Could not write live output ({}); it waits for the next flush", e.getMessage());
            for (int i = 0; i < flushed.size(); i++) {
                flushed.get(i).putBack(taken.get(i));
            }
            return;
        }
        flushed.forEach(run -> events.publishEvent(new EvaluationEvents.OutputWritten(run.evalId)));
    }

    /** Removes the live output of evaluations that have ended since. */
    @Scheduled(fixedDelayString = "${crucible.live.cleanup-interval:1m}", initialDelayString = "${crucible.live.cleanup-interval:1m}")
    void removeEnded() {
        try {
            int removed = chunks.deleteEnded();
            if (removed > 0) {
                log.debug("Removed {} live output chunks of ended evaluations", removed);
            }
        } catch (DataAccessException e) {
            log.debug("Could not remove the live output of ended evaluations: {}", e.getMessage());
        }
    }
}
