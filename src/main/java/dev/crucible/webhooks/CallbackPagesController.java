package dev.crucible.webhooks;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.crucible.batch.BatchDocuments;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The admin pages' part of webhooks: the list of callbacks by state (failed ones first: what an
 * admin comes here for), retrying all failed ones at once after a receiver's long outage, and the
 * batch page's retry button (here rather than in the batch feature, which webhooks depends on).
 */
@Controller
class CallbackPagesController {

    static final int PAGE_SIZE = 100;

    private final CallbackOverview overview;
    private final CallbackRetries retries;
    private final BatchDocuments batches;

    CallbackPagesController(CallbackOverview overview, CallbackRetries retries, BatchDocuments batches) {
        this.overview = overview;
        this.retries = retries;
        this.batches = batches;
    }

    @GetMapping("/callbacks")
    String list(@RequestParam(defaultValue = "failed") String status, @RequestParam(defaultValue = "1") String page,
            Model model, HttpServletResponse response) {
        Map<String, Long> counts = new LinkedHashMap<>();
        CallbackOverview.STATUSES.forEach(s -> counts.put(s, overview.count(s)));
        model.addAttribute("counts", counts);
        if (!CallbackOverview.STATUSES.contains(status)) {
            response.setStatus(400);
            model.addAttribute("error", "status must be one of " + String.join(", ", CallbackOverview.STATUSES)
                    + "; not " + status);
            model.addAttribute("result", new CallbackOverview.Page(status, java.util.List.of(), 0, 1, PAGE_SIZE));
            return "callbacks";
        }
        model.addAttribute("result", overview.page(status, parsePage(page), PAGE_SIZE));
        return "callbacks";
    }

    @PostMapping("/callbacks/retry")
    String retryAll(RedirectAttributes redirect) {
        int retried = retries.retryAllFailed();
        redirect.addFlashAttribute("notice", switch (retried) {
            case 0 -> "No callback has failed.";
            case 1 -> "1 failed callback is due again.";
            default -> retried + " failed callbacks are due again.";
        });
        return "redirect:/callbacks";
    }

    @PostMapping("/batches/{id}/callback/retry")
    String retryBatch(@PathVariable String id, Model model, RedirectAttributes redirect, HttpServletResponse response) {
        if (batches.of(id).isEmpty()) {
            response.setStatus(404);
            model.addAttribute("message", "No batch has the id " + id + ".");
            return "not-found";
        }
        if (!retries.retryBatch(id)) {
            redirect.addFlashAttribute("error", "Only a failed callback can be retried.");
        }
        return "redirect:/batches/" + id;
    }

    private static int parsePage(String page) {
        try {
            return Math.max(1, Integer.parseInt(page));
        } catch (NumberFormatException e) {
            return 1;
        }
    }
}
