package dev.crucible.web;

import dev.crucible.evaluation.EvaluationRepository;
import dev.crucible.evaluation.EvaluationStatus;
import dev.crucible.webhooks.CallbackOverview;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/** The live counters in every page's header (htmx refreshes them every few seconds): the queue, and failed callbacks. */
@Controller
class CountersController {

    private final EvaluationRepository evaluations;
    private final CallbackOverview callbacks;

    CountersController(EvaluationRepository evaluations, CallbackOverview callbacks) {
        this.evaluations = evaluations;
        this.callbacks = callbacks;
    }

    @GetMapping("/ui/counters")
    String counters(Model model) {
        model.addAttribute("queued", evaluations.count(EvaluationStatus.QUEUED));
        model.addAttribute("running", evaluations.count(EvaluationStatus.RUNNING));
        model.addAttribute("failedCallbacks", callbacks.failed());
        return "fragments :: counters";
    }
}
