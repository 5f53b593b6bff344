package dev.crucible.sandbox;

import java.util.Map;

/** Tells the orphan reaper which of this installation's containers a live evaluation still owns. */
public interface ContainerOwnership {

    /** The installation label value: containers without it are never touched. */
    String installationId();

    /** True if a live run owns the container with these labels. */
    boolean isOwned(Map<String, String> labels);

    /** This process's worker id, which its pooled containers carry. */
    String workerId();

    /** True while another worker is alive (its pooled containers are its own business). */
    boolean isLiveWorker(String workerId);
}
