package dev.crucible.dispatch;

import dev.crucible.evaluation.QueueDatabase.Lane;

/**
 * How a worker's free slots divide between interactive work and batches when both are queued:
 * slot by slot, each goes to the kind that holds fewer of this worker's slots (interactive work on
 * a tie). So after the claim the two kinds hold as even a number of slots as the free ones allow
 * (a difference of at most one, unless the one behind was further behind than there are free
 * slots). The kind behind claims first, and so gets the memory room first.
 */
record FairShare(Lane first, int firstSlots, Lane second, int secondSlots) {

    static FairShare of(int interactiveHeld, int batchHeld, int freeSlots) {
        int interactive = interactiveHeld;
        int batch = batchHeld;
        for (int slot = 0; slot < freeSlots; slot++) {
            if (batch < interactive) {
                batch++;
            } else {
                interactive++;
            }
        }
        int interactiveSlots = interactive - interactiveHeld;
        int batchSlots = batch - batchHeld;
        return batchHeld < interactiveHeld ? new FairShare(Lane.BATCH, batchSlots, Lane.INTERACTIVE, interactiveSlots)
                : new FairShare(Lane.INTERACTIVE, interactiveSlots, Lane.BATCH, batchSlots);
    }
}
