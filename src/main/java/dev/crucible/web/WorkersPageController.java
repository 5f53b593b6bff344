package dev.crucible.web;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.LongStream;

import dev.crucible.dispatch.WorkerIdentity;
import dev.crucible.dispatch.WorkerRepository;
import dev.crucible.evaluation.EvaluationHistory;
import dev.crucible.evaluation.EvaluationRepository;
import dev.crucible.evaluation.EvaluationStatus;
import dev.crucible.evaluation.QueueDatabase;
import dev.crucible.evaluation.Throughput;
import dev.crucible.node.ServesUsers;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;

/**
 * The workers page: every worker of the installation with its state, slots, what it ran, its
 * heartbeat, host, Docker version and images, and the shared queue; the last hour's throughput
 * (installation and per worker) and queue depth as charts; live (htmx, every 2 s). Drain and
 * resume a worker from here.
 */
@Controller
@ServesUsers
class WorkersPageController {

    /** One row of the page; images as "name (short id)", the full ids are in /api/workers. */
    record Row(WorkerRepository.Worker worker, long endedLastHour, MinuteChart throughput, long secondsSinceHeartbeat,
            List<String> images) {

        /** Running or draining: what it last said of its pool still holds. */
        public boolean live() {
            return isLive(worker);
        }
    }

    static String shortImage(String line) {
        String[] parts = line.split(" ");
        if (parts.length < 2) {
            return line;
        }
        String id = parts[1].replaceFirst("^sha256:", "");
        return parts[0] + " (" + id.substring(0, Math.min(12, id.length())) + ")";
    }

    private final WorkerRepository workers;
    private final EvaluationRepository evaluations;
    private final EvaluationHistory history;
    private final QueueDepthSamples queueDepth;
    private final WorkerIdentity node;
    private final Clock clock;

    WorkersPageController(WorkerRepository workers, EvaluationRepository evaluations, EvaluationHistory history,
            QueueDepthSamples queueDepth, WorkerIdentity node, Clock clock) {
        this.workers = workers;
        this.evaluations = evaluations;
        this.history = history;
        this.queueDepth = queueDepth;
        this.node = node;
        this.clock = clock;
    }

    @GetMapping("/workers")
    String page(HttpServletRequest request, Model model) {
        Instant now = clock.instant();
        Throughput throughput = history.throughput(now);
        List<Row> rows = workers.all().stream().map(w -> row(w, throughput.ofWorker(w.id()), now)).toList();
        model.addAttribute("rows", rows);
        model.addAttribute("queuedInteractive", evaluations.countQueued(QueueDatabase.Lane.INTERACTIVE));
        model.addAttribute("queuedBatch", evaluations.countQueued(QueueDatabase.Lane.BATCH));
        model.addAttribute("running", evaluations.count(EvaluationStatus.RUNNING));
        model.addAttribute("endedLastHour", LongStream.of(throughput.installation()).sum());
        model.addAttribute("throughputChart", MinuteChart.endedPerMinute(throughput.installation()));
        model.addAttribute("queueDepthChart", MinuteChart.queueDepth(queueDepth.lastHour(now), now));
        model.addAttribute("queueDepthSince", queueDepth.since());
        model.addAttribute("queueDepthEvery", QueueDepthSamples.EVERY.toSeconds());
        model.addAttribute("node", node.id());
        model.addAttribute("slots", rows.stream().filter(r -> isLive(r.worker())).mapToInt(r -> r.worker().slots()).sum());
        model.addAttribute("slotsInUse", rows.stream().filter(r -> isLive(r.worker())).mapToInt(r -> r.worker().slotsInUse()).sum());
        return Htmx.isPartial(request) ? "workers :: live" : "workers";
    }

    @PostMapping("/workers/{id}/drain")
    String drain(@PathVariable String id) {
        workers.setLiveState(id, "draining");
        return "redirect:/workers";
    }

    @PostMapping("/workers/{id}/resume")
    String resume(@PathVariable String id) {
        workers.setLiveState(id, "running");
        return "redirect:/workers";
    }

    private static Row row(WorkerRepository.Worker w, long[] endedPerMinute, Instant now) {
        return new Row(w, LongStream.of(endedPerMinute).sum(), MinuteChart.endedPerMinute(endedPerMinute),
                Math.max(0, Duration.between(w.heartbeatAt(), now).toSeconds()),
                w.images().stream().map(WorkersPageController::shortImage).toList());
    }

    private static boolean isLive(WorkerRepository.Worker w) {
        return w.state().equals("running") || w.state().equals("draining");
    }
}
