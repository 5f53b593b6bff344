package dev.crucible.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import dev.crucible.evaluation.Evaluation;
import dev.crucible.evaluation.EvaluationStatus;
import dev.crucible.evaluation.Limits;
import org.junit.jupiter.api.Test;

class ActiveRunsTest {

    static Evaluation claimed(String id, int attempt) {
        return new Evaluation(id, 1, EvaluationStatus.RUNNING, "python", "print(1)", "", new Limits(30, 1 << 20, 1_000_000_000L),
                0, null, Instant.now(), Instant.now(), null, null, null, null, null, null, null, null, null, false, null, null, null,
                "worker", Instant.now(), attempt, false, java.util.List.of(), null, java.util.List.of(), null, null, java.util.List.of(), java.util.List.of(), null);
    }

    @Test
    void theEndOfAnOldRunDoesNotForgetANewerRunOfTheSameEvaluation() {
        ActiveRuns runs = new ActiveRuns();
        ActiveRun first = runs.register(claimed("e1", 1));
        ActiveRun second = runs.register(claimed("e1", 2)); // claimed again while the first still cleans up
        runs.remove(first);
        assertThat(runs.contains("e1")).isTrue();
        assertThat(runs.cancel("e1")).isTrue();
        assertThat(second.isCancelled()).isTrue();
        runs.remove(second);
        assertThat(runs.contains("e1")).isFalse();
    }
}
