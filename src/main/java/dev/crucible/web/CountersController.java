package dev.crucible.web;

import dev.crucible.evaluation.EvaluationRepository;
import dev.crucible.evaluation.EvaluationStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/** The live queue counters in every page's header (htmx refreshes them every few seconds). */
@Controller
class CountersController {

    private final EvaluationRepository evaluations;

    CountersController(EvaluationRepository evaluations) {
        this.evaluations = evaluations;
    }

    @GetMapping("/ui/counters")
    String counters(Model model) {
        model.addAttribute("queued", evaluations.count(EvaluationStatus.QUEUED));
        model.addAttribute("running", evaluations.count(EvaluationStatus.RUNNING));
        return "fragments :: counters";
    }
}
