package dev.crucible.web;

import java.util.List;

import dev.crucible.evaluation.Evaluation;
import dev.crucible.evaluation.EvaluationNotFoundException;
import dev.crucible.evaluation.EvaluationService;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;

/**
 * An evaluation's page: code with line numbers, its outputs, exit code, status and reason,
 * timings, limits and image. While it is queued or running, the page follows the evaluation's
 * event stream ({@code /api/eval/{id}/events}, crucible.js): output appears as the program writes
 * it and the panel is fetched again when the status changes. Once it has ended, the panel asks
 * for itself every 2 s only while its callback is still pending.
 */
@Controller
class EvaluationPageController {

    private final EvaluationService service;
    private final dev.crucible.webhooks.CallbackRetries callbackRetries;

    EvaluationPageController(EvaluationService service, dev.crucible.webhooks.CallbackRetries callbackRetries) {
        this.service = service;
        this.callbackRetries = callbackRetries;
    }

    @GetMapping("/evaluations/{id}")
    String page(@PathVariable String id, Model model) {
        Evaluation e = service.get(id);
        model.addAttribute("e", e);
        model.addAttribute("codeLines", lines(e.code()));
        model.addAttribute("queuePosition", service.queuePosition(e));
        addArtifacts(id, model);
        model.addAttribute("cases", cases(e));
        return "evaluation";
    }

    @GetMapping("/evaluations/{id}/panel")
    String panel(@PathVariable String id, Model model) {
        Evaluation e = service.get(id);
        model.addAttribute("e", e);
        model.addAttribute("queuePosition", service.queuePosition(e));
        addArtifacts(id, model);
        model.addAttribute("cases", cases(e));
        return "evaluation :: panel";
    }

    /**
     * A file from /out as the page lists it: its download address and, for a name that says PNG or
     * JPEG, the same address as an image to show (served as one only when its bytes say so).
     */
    record ArtifactLink(String name, long size, String sha256, String href, String imageSrc) {
    }

    /** A test case as the page shows it: what was asked, how it went (null before it ran) and the diff. */
    record CaseView(dev.crucible.evaluation.TestCase testCase, dev.crucible.evaluation.TestResult result,
            List<LineDiff.Line> diff) {
    }

    static List<CaseView> cases(Evaluation e) {
        List<CaseView> views = new java.util.ArrayList<>();
        for (int i = 0; i < e.testCases().size(); i++) {
            var c = e.testCases().get(i);
            var r = i < e.testResults().size() ? e.testResults().get(i) : null;
            views.add(new CaseView(c, r, r == null || c.expectedOutput() == null ? null : LineDiff.of(c.expectedOutput(), r.stdout())));
        }
        return views;
    }

    private void addArtifacts(String id, Model model) {
        EvaluationService.Artifacts artifacts = service.artifacts(id);
        model.addAttribute("artifacts", artifacts.files().stream().map(a -> {
            String href = "/api/eval/" + id + "/artifacts/" + Formats.urlPath(a.name());
            String lower = a.name().toLowerCase(java.util.Locale.ROOT);
            boolean image = lower.endsWith(".png") || lower.endsWith(".jpg") || lower.endsWith(".jpeg");
            return new ArtifactLink(a.name(), a.size(), a.sha256(), href, image ? href : null);
        }).toList());
        model.addAttribute("artifactNotes", artifacts.notes());
    }

    @PostMapping("/evaluations/{id}/cancel")
    String cancel(@PathVariable String id) {
        service.cancel(id);
        return "redirect:/evaluations/" + id;
    }

    @PostMapping("/evaluations/{id}/callback/retry")
    String retryCallback(@PathVariable String id, org.springframework.web.servlet.mvc.support.RedirectAttributes redirect) {
        service.get(id);
        if (!callbackRetries.retry(id)) {
            redirect.addFlashAttribute("error", "Only a failed callback can be retried.");
        }
        return "redirect:/evaluations/" + id;
    }

    @ExceptionHandler(EvaluationNotFoundException.class)
    String notFound(EvaluationNotFoundException e, Model model, HttpServletResponse response) {
        response.setStatus(404);
        model.addAttribute("message", "No evaluation has the id " + e.evalId() + ".");
        return "not-found";
    }

    static List<String> lines(String code) {
        List<String> lines = code.lines().toList();
        return lines.isEmpty() ? List.of("") : lines;
    }
}
