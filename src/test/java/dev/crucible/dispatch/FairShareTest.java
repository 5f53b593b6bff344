package dev.crucible.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crucible.evaluation.QueueDatabase.Lane;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FairShareTest {

    @ParameterizedTest(name = "{0} interactive and {1} batch runs held, {2} free: {3} {4}, then {5} {6}")
    @CsvSource({
            // an idle worker splits evenly, interactive work gets the odd slot
            "0, 0, 4, INTERACTIVE, 2, BATCH, 2",
            "0, 0, 5, INTERACTIVE, 3, BATCH, 2",
            "0, 0, 1, INTERACTIVE, 1, BATCH, 0",
            // the kind behind catches up first
            "6, 1, 3, BATCH, 3, INTERACTIVE, 0",
            "5, 1, 6, BATCH, 5, INTERACTIVE, 1",
            "1, 3, 1, INTERACTIVE, 1, BATCH, 0",
            "2, 3, 4, INTERACTIVE, 3, BATCH, 1",
            // a full worker has nothing to share
            "3, 1, 0, BATCH, 0, INTERACTIVE, 0"})
    void theFreeSlotsEvenOutTheKinds(int interactiveHeld, int batchHeld, int free, Lane first, int firstSlots, Lane second,
            int secondSlots) {
        assertThat(FairShare.of(interactiveHeld, batchHeld, free)).isEqualTo(new FairShare(first, firstSlots, second, secondSlots));
    }
}
