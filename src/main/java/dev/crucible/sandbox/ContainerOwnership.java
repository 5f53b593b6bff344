package dev.crucible.sandbox;

import java.util.Map;

/** Tells the orphan reaper which of this installation's containers a live evaluation still owns. */
public interface ContainerOwnership {

    /** The installation label value: containers without it are never touched. */
    String installationId();

    /** True if a live run owns the container with these labels. */
    boolean isOwned(Map<String, String> labels);
}
