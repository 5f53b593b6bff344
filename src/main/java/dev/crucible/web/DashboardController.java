package dev.crucible.web;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.crucible.evaluation.EvaluationHistory;
import dev.crucible.evaluation.EvaluationRepository;
import dev.crucible.evaluation.RetentionProperties;
import dev.crucible.evaluation.Throughput;
import dev.crucible.evaluation.EvaluationStatus;
import dev.crucible.evaluation.HistoryFilter;
import dev.crucible.evaluation.HistoryParams;
import dev.crucible.evaluation.HistorySort;
import dev.crucible.evaluation.InvalidQueryException;
import dev.crucible.runtime.Languages;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * The home page: counts by status, queue depth, charts (from {@code /dashboard/metrics.json}) and
 * the history table, filtered, sorted and paged on the server. The table also answers htmx's
 * partial requests, so filtering and paging replace only the table.
 */
@Controller
class DashboardController {

    static final int PAGE_SIZE = 50;

    private final EvaluationHistory history;
    private final EvaluationRepository evaluations;
    private final Languages languages;
    private final Clock clock;
    private final RetentionProperties retention;

    DashboardController(EvaluationHistory history, EvaluationRepository evaluations, Languages languages, Clock clock,
            RetentionProperties retention) {
        this.retention = retention;
        this.history = history;
        this.evaluations = evaluations;
        this.languages = languages;
        this.clock = clock;
    }

    /** The filters, sort and page as the page's links and forms carry them. */
    public record Query(String status, String language, String batch, String q, String from, String to, String sort,
            String dir, int page) {

        public boolean ascending() {
            return "asc".equalsIgnoreCase(dir);
        }

        public String url(String path, Map<String, Object> changes) {
            UriComponentsBuilder url = UriComponentsBuilder.fromPath(path);
            Map<String, Object> all = new LinkedHashMap<>();
            all.put("status", status);
            all.put("language", language);
            all.put("batch", batch);
            all.put("q", q);
            all.put("from", from);
            all.put("to", to);
            all.put("sort", sort);
            all.put("dir", dir);
            all.put("page", page);
            all.putAll(changes);
            all.forEach((k, v) -> {
                if (v != null && !v.toString().isBlank() && !("page".equals(k) && "1".equals(v.toString()))) {
                    url.queryParam(k, v);
                }
            });
            return url.build().encode().toUriString();
        }

        /** The link of a column header: sort by it, or turn the order round if it is the sort already. */
        public String sortUrl(String column) {
            boolean current = HistorySort.parse(sort).param().equals(column);
            String nextDir = current && !ascending() ? "asc" : "desc";
            return url("/", Map.of("sort", column, "dir", nextDir, "page", 1));
        }

        public String pageUrl(int target) {
            return url("/", Map.of("page", target));
        }

        public String csvUrl() {
            Map<String, Object> changes = new LinkedHashMap<>();
            changes.put("sort", null);
            changes.put("dir", null);
            changes.put("page", 1);
            return url("/api/evaluations.csv", changes);
        }

        public String sortMark(String column) {
            if (!HistorySort.parse(sort).param().equals(column)) {
                return "";
            }
            return ascending() ? "▲" : "▼";
        }
    }

    @GetMapping("/")
    String dashboard(@RequestParam(required = false) String status, @RequestParam(required = false) String language,
            @RequestParam(required = false) String batch, @RequestParam(required = false) String q,
            @RequestParam(required = false) String from, @RequestParam(required = false) String to,
            @RequestParam(required = false) String sort, @RequestParam(required = false) String dir,
            @RequestParam(defaultValue = "1") String page, HttpServletRequest request, Model model) {
        Query query = new Query(status, language, batch, q, from, to, HistorySort.parse(sort).param(),
                "asc".equalsIgnoreCase(dir) ? "asc" : "desc", parsePage(page));
        model.addAttribute("query", query);
        HistoryFilter filter;
        try {
            filter = HistoryParams.parse(status, language, batch, q, from, to);
        } catch (InvalidQueryException e) {
            model.addAttribute("filterError", e.problems().get(0).message());
            filter = HistoryFilter.ALL;
        }
        EvaluationHistory.Page result = history.page(filter, HistorySort.parse(sort), query.ascending(), query.page(),
                PAGE_SIZE);
        model.addAttribute("result", result);
        model.addAttribute("statuses", List.of(EvaluationStatus.values()));
        model.addAttribute("languages", languages.names());
        if (Htmx.isPartial(request)) {
            return "dashboard :: history";
        }
        Map<EvaluationStatus, Long> counts = evaluations.countByStatus();
        model.addAttribute("counts", counts);
        model.addAttribute("total", counts.values().stream().mapToLong(Long::longValue).sum());
        model.addAttribute("retention", retention.keepsEverything() ? "History is kept forever."
                : "History is kept for " + retention.describe() + ": evaluations created on or after "
                        + retention.cutoff(clock.instant()).atOffset(java.time.ZoneOffset.UTC).toLocalDate() + " (UTC)."); 
        return "dashboard";
    }

    /** The charts' data: evaluations ended per minute over the last hour, and the runtime histogram. */
    @GetMapping("/dashboard/metrics.json")
    @ResponseBody
    Map<String, Object> metrics() {
        Instant now = clock.instant();
        Throughput throughput = history.throughput(now);
        long[] minutes = new long[Throughput.MINUTES];
        for (int i = 0; i < minutes.length; i++) {
            minutes[i] = throughput.firstMinute().getEpochSecond() + 60L * i;
        }
        // short labels: each bucket by its upper bound ("<10ms", "<25ms" ... "≥30s")
        List<String> bucketLabels = new java.util.ArrayList<>();
        for (long upper : EvaluationHistory.RUNTIME_BUCKETS_MS) {
            bucketLabels.add("<" + label(upper));
        }
        bucketLabels.add("≥" + label(EvaluationHistory.RUNTIME_BUCKETS_MS[EvaluationHistory.RUNTIME_BUCKETS_MS.length - 1]));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("throughput", Map.of("minutes", minutes, "ended", throughput.installation()));
        body.put("runtime", Map.of("buckets", bucketLabels, "counts", history.runtimeHistogram(1000)));
        return body;
    }

    private static String label(long ms) {
        return ms < 1000 ? ms + "ms" : (ms % 1000 == 0 ? ms / 1000 + "s" : ms / 1000.0 + "s");
    }

    private static int parsePage(String page) {
        try {
            return Math.max(1, Integer.parseInt(page.strip()));
        } catch (NumberFormatException e) {
            return 1;
        }
    }
}
