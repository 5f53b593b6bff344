package dev.crucible.web;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.crucible.evaluation.Evaluation;
import dev.crucible.evaluation.EvaluationService;
import dev.crucible.evaluation.InvalidSubmissionException;
import dev.crucible.evaluation.Limits;
import dev.crucible.evaluation.LimitsProperties;
import dev.crucible.evaluation.QueueFullException;
import dev.crucible.evaluation.Submission;
import dev.crucible.evaluation.SubmissionTooLargeException;
import dev.crucible.storage.StorageFullException;
import dev.crucible.runtime.Languages;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;

/**
 * The submit page, and re-running an evaluation (a copy, submitted anew). Submissions go through
 * the same service as the API's, so the same rules and limits apply.
 */
@Controller
class SubmitController {

    /** The form's fields, as typed; {@code args} one argument per line. */
    record Form(String language, String code, String stdin, String timeout, String memoryLimit, String cpuLimit,
            String args, String expectedOutput, String compareMode, String tolerance, List<String> fileName,
            List<String> fileContent, List<String> caseName, List<String> caseStdin, List<String> caseExpected,
            List<String> caseArgs) {

        Form(String language, String code, String stdin, String timeout, String memoryLimit, String cpuLimit, String args,
                String expectedOutput, String compareMode, String tolerance) {
            this(language, code, stdin, timeout, memoryLimit, cpuLimit, args, expectedOutput, compareMode, tolerance,
                    null, null, null, null, null, null);
        }

        record FileRow(String name, String content) {
        }

        record CaseRow(String name, String stdin, String expectedOutput, String args) {
        }

        private static String at(List<String> values, int i) {
            return values != null && i < values.size() && values.get(i) != null ? values.get(i) : "";
        }

        private static int size(List<?>... lists) {
            int n = 0;
            for (List<?> list : lists) {
                n = Math.max(n, list == null ? 0 : list.size());
            }
            return n;
        }

        /** The file rows as typed, blank ones left out. */
        public List<FileRow> fileRows() {
            List<FileRow> rows = new java.util.ArrayList<>();
            for (int i = 0; i < size(fileName, fileContent); i++) {
                if (!at(fileName, i).isBlank() || !at(fileContent, i).isEmpty()) {
                    rows.add(new FileRow(at(fileName, i).strip(), at(fileContent, i)));
                }
            }
            return rows;
        }

        public List<CaseRow> caseRows() {
            List<CaseRow> rows = new java.util.ArrayList<>();
            for (int i = 0; i < size(caseName, caseStdin, caseExpected, caseArgs); i++) {
                if (!(at(caseName, i) + at(caseStdin, i) + at(caseExpected, i) + at(caseArgs, i)).isBlank()) {
                    rows.add(new CaseRow(at(caseName, i).strip(), at(caseStdin, i), at(caseExpected, i), at(caseArgs, i)));
                }
            }
            return rows;
        }

        List<dev.crucible.evaluation.ProgramFile> files() {
            List<FileRow> rows = fileRows();
            return rows.isEmpty() ? null : rows.stream().map(f -> new dev.crucible.evaluation.ProgramFile(f.name(), f.content()))
                    .toList();
        }

        /** The cases (an empty expected output box: none, the case passes when the program completes). */
        List<dev.crucible.evaluation.TestCase> testCases() {
            List<CaseRow> rows = caseRows();
            return rows.isEmpty() ? null : rows.stream().map(c -> new dev.crucible.evaluation.TestCase(
                    c.name().isEmpty() ? null : c.name(), c.stdin(), c.expectedOutput().isEmpty() ? null : c.expectedOutput(),
                    c.args().isEmpty() ? List.of() : c.args().lines().toList())).toList();
        }

        /** The arguments, one per line (no text: none). */
        List<String> argumentList() {
            return args == null || args.isEmpty() ? null : args.lines().toList();
        }

        /** The expected output (an empty box: none, so no verdict). */
        String expected() {
            return expectedOutput == null || expectedOutput.isEmpty() ? null : expectedOutput;
        }
    }

    private final EvaluationService service;
    private final Languages languages;
    private final LimitsProperties limits;

    SubmitController(EvaluationService service, Languages languages, LimitsProperties limits) {
        this.service = service;
        this.languages = languages;
        this.limits = limits;
    }

    @GetMapping("/evaluations/new")
    String form(Model model) {
        return show(model, new Form("python", "print(\"Hello from Docker!\")\n", "",
                Integer.toString(limits.defaultTimeoutSeconds()), limits.defaultMemory(), limits.defaultCpus(), "", "",
                "trim", ""), Map.of());
    }

    @PostMapping("/evaluations")
    String submit(Form form, Model model, HttpServletResponse response) {
        Map<String, String> errors = new LinkedHashMap<>();
        Integer timeout = null;
        if (form.timeout() != null && !form.timeout().isBlank()) {
            try {
                timeout = Integer.valueOf(form.timeout().strip());
            } catch (NumberFormatException e) {
                errors.put("timeout", "Timeout must be a whole number of seconds");
            }
        }
        Double tolerance = null;
        if (form.tolerance() != null && !form.tolerance().isBlank()) {
            try {
                tolerance = Double.valueOf(form.tolerance().strip());
            } catch (NumberFormatException e) {
                errors.put("tolerance", "Tolerance must be a number such as 0.001");
            }
        }
        if (errors.isEmpty()) {
            try {
                Evaluation e = service.submit(new Submission(form.code(), form.language(), timeout, form.memoryLimit(),
                        form.cpuLimit(), form.stdin(), null, null, form.argumentList(), form.expected(), form.compareMode(),
                        tolerance, form.files(), null, form.testCases())).evaluation();
                return "redirect:/evaluations/" + e.id();
            } catch (InvalidSubmissionException e) {
                // args[3] and the like show beside their box
                e.problems().forEach(p -> errors.putIfAbsent(p.field().replaceFirst("\\[.*$", ""),
                        p.field().contains("[") ? p.field() + ": " + p.message() : p.message()));
            } catch (SubmissionTooLargeException e) {
                errors.put("code", e.getMessage());
            } catch (QueueFullException | StorageFullException e) {
                errors.put("form", e.getMessage());
                response.setStatus(503);
                return show(model, form, errors);
            }
        }
        response.setStatus(422);
        return show(model, form, errors);
    }

    @PostMapping("/evaluations/{id}/rerun")
    String rerun(@PathVariable String id) {
        Evaluation original = service.get(id);
        var expectation = original.expectation();
        var cases = original.testCases().isEmpty() ? null : original.testCases();
        // with test cases, each case carries the evaluation's compare mode and tolerance
        String mode = cases != null ? cases.get(0).compareMode() : expectation == null ? null : expectation.mode().wire();
        Double tolerance = cases != null ? cases.get(0).tolerance() : expectation == null ? null : expectation.tolerance();
        Evaluation copy = service.submit(new Submission(original.code(), original.language(),
                original.limits().timeoutSeconds(), Limits.formatMemory(original.limits().memoryBytes()),
                Limits.formatCpus(original.limits().nanoCpus()), original.stdin(), original.priority(), null,
                original.args(), expectation == null ? null : expectation.expected(), mode, tolerance, original.files(),
                original.compileTimeoutSeconds(), cases)).evaluation();
        return "redirect:/evaluations/" + copy.id();
    }

    private String show(Model model, Form form, Map<String, String> errors) {
        model.addAttribute("form", form);
        model.addAttribute("errors", errors);
        model.addAttribute("languages", languages.all());
        model.addAttribute("limits", limits);
        model.addAttribute("maxCpus", Limits.formatCpus(limits.maxNanoCpus()));
        model.addAttribute("compareModes", dev.crucible.evaluation.OutputComparison.Mode.names());
        return "submit";
    }
}
