package dev.crucible.batch;

import java.util.List;

import dev.crucible.evaluation.InvalidSubmissionException;
import dev.crucible.evaluation.LimitsProperties;
import dev.crucible.evaluation.QueueFullException;
import dev.crucible.runtime.Languages;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.multipart.MultipartFile;

/**
 * The batch pages of the admin UI: the list, the upload page (drag and drop, upload progress;
 * it also works as a plain form), and a batch's page with a live progress bar and its results.
 */
@Controller
class BatchPagesController {

    static final int RESULTS_PAGE = 200;

    private final BatchService service;
    private final BatchProgress progress;
    private final BatchRepository batches;
    private final BatchResults results;
    private final Languages languages;
    private final LimitsProperties limits;
    private final BatchProperties properties;

    BatchPagesController(BatchService service, BatchProgress progress, BatchRepository batches, BatchResults results,
            Languages languages, LimitsProperties limits, BatchProperties properties) {
        this.service = service;
        this.progress = progress;
        this.batches = batches;
        this.results = results;
        this.languages = languages;
        this.limits = limits;
        this.properties = properties;
    }

    @GetMapping("/batches")
    String list(Model model) {
        model.addAttribute("batches", batches.list(100, 0).stream().map(progress::of).toList());
        return "batches";
    }

    @GetMapping("/batches/new")
    String form(Model model) {
        model.addAttribute("languages", languages.all());
        model.addAttribute("limits", limits);
        model.addAttribute("batchLimits", properties);
        return "batch-upload";
    }

    /** The upload page's form without JavaScript (with it, the page posts to the API and shows upload progress). */
    @PostMapping("/batches")
    String upload(@RequestParam(required = false) List<MultipartFile> files, @RequestParam(required = false) String name,
            @RequestParam(required = false) String language, @RequestParam(required = false) String timeout,
            @RequestParam(name = "memory_limit", required = false) String memoryLimit,
            @RequestParam(name = "cpu_limit", required = false) String cpuLimit, Model model, HttpServletResponse response) {
        try {
            BatchService.Settings settings = BatchController.settings(name, language, timeout, memoryLimit, cpuLimit, null, null);
            List<MultipartFile> uploaded = files == null ? List.of() : files.stream().filter(f -> !f.isEmpty()).toList();
            Batch batch = uploaded.size() == 1 && isArchive(uploaded.get(0))
                    ? service.fromArchive(uploaded.get(0), settings)
                    : service.fromFiles(uploaded, settings);
            return "redirect:/batches/" + batch.id();
        } catch (BadArchiveException e) {
            response.setStatus(e.status());
            model.addAttribute("error", e.getMessage());
        } catch (InvalidSubmissionException e) {
            response.setStatus(422);
            model.addAttribute("error", e.getMessage());
        } catch (QueueFullException e) {
            response.setStatus(503);
            model.addAttribute("error", e.getMessage());
        }
        return form(model);
    }

    static boolean isArchive(MultipartFile file) {
        String name = file.getOriginalFilename() == null ? "" : file.getOriginalFilename().toLowerCase();
        return name.endsWith(".zip") || name.endsWith(".tar.gz") || name.endsWith(".tgz") || name.endsWith(".tar");
    }

    @GetMapping("/batches/{id}")
    String page(@PathVariable String id, @RequestParam(defaultValue = "0") int from, Model model) {
        live(id, from, model);
        return "batch";
    }

    /** The progress and the shown page of files, which the batch page asks for every 2 s while the batch runs. */
    @GetMapping("/batches/{id}/live")
    String livePanel(@PathVariable String id, @RequestParam(defaultValue = "0") int from, Model model) {
        live(id, from, model);
        return "batch :: live";
    }

    private void live(String id, int from, Model model) {
        model.addAttribute("batch", progress.of(id));
        int start = Math.max(0, from);
        List<BatchResults.Row> rows = results.page(id, start, RESULTS_PAGE + 1);
        model.addAttribute("rows", rows.size() > RESULTS_PAGE ? rows.subList(0, RESULTS_PAGE) : rows);
        model.addAttribute("next", rows.size() > RESULTS_PAGE ? rows.get(RESULTS_PAGE).index() : null);
        model.addAttribute("from", start);
    }

    @PostMapping("/batches/{id}/cancel")
    String cancel(@PathVariable String id) {
        service.cancel(id);
        return "redirect:/batches/" + id;
    }

    @PostMapping("/batches/{id}/restart")
    String restart(@PathVariable String id) {
        service.restart(id);
        return "redirect:/batches/" + id;
    }

    @ExceptionHandler({BatchNotFoundException.class, BatchStateException.class})
    String problem(RuntimeException e, Model model, HttpServletRequest request, HttpServletResponse response) {
        response.setStatus(e instanceof BatchNotFoundException ? 404 : 409);
        model.addAttribute("message", e.getMessage());
        return "not-found";
    }
}
