package dev.crucible.evaluation;

import java.util.Optional;

import org.springframework.stereotype.Component;
import tools.jackson.databind.ObjectMapper;

/** An evaluation as {@code GET /api/eval/{id}} answers it, for those who send it elsewhere (webhooks). */
@Component
public class EvaluationDocuments {

    private final EvaluationRepository repository;
    private final ObjectMapper json;

    EvaluationDocuments(EvaluationRepository repository, ObjectMapper json) {
        this.repository = repository;
        this.json = json;
    }

    /** The JSON document; empty when the evaluation is gone (deleted by retention). */
    public Optional<String> of(String evalId) {
        return repository.findById(evalId).map(e -> json.writeValueAsString(
                ApiModels.EvaluationView.of(e, e.status() == EvaluationStatus.QUEUED ? repository.queuePosition(e) : null)));
    }
}
