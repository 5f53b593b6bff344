package dev.crucible.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

class EvaluationIdsTest {

    @Test
    void idsHaveTheOriginalPlatformsForm() {
        String id = EvaluationIds.next(Instant.parse("2025-01-02T03:04:05Z"));
        assertThat(id).matches("20250102_030405_[0-9a-f]{8}");
        assertThat(EvaluationIds.isWellFormed(id)).isTrue();
    }

    @Test
    void idsOfTheSameSecondDiffer() {
        Instant now = Instant.now();
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            ids.add(EvaluationIds.next(now));
        }
        assertThat(ids).hasSize(1000);
    }

    @Test
    void idsThatCouldEscapeAUrlOrContainerNameAreNotWellFormed() {
        assertThat(EvaluationIds.isWellFormed("../etc/passwd")).isFalse();
        assertThat(EvaluationIds.isWellFormed("a b")).isFalse();
        assertThat(EvaluationIds.isWellFormed("")).isFalse();
        assertThat(EvaluationIds.isWellFormed(null)).isFalse();
        assertThat(EvaluationIds.isWellFormed("x".repeat(65))).isFalse();
    }
}
