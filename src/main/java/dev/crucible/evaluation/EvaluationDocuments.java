package dev.crucible.evaluation;

import java.util.Optional;

import org.springframework.stereotype.Component;
import tools.jackson.databind.ObjectMapper;

/** An evaluation as {@code GET /api/eval/{id}} answers it, for those who send it elsewhere (webhooks). */
@Component
public class EvaluationDocuments {

    private final EvaluationService service;
    private final ObjectMapper json;

    EvaluationDocuments(EvaluationService service, ObjectMapper json) {
        this.service = service;
        this.json = json;
    }

    /** The JSON document; empty when the evaluation is gone (deleted by retention). */
    public Optional<String> of(String evalId) {
        return service.find(evalId).map(e -> json.writeValueAsString(ApiModels.EvaluationView.of(e, service.queuePosition(e))));
    }
}
