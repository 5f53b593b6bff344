package dev.crucible.sandbox;

/**
 * A regular file the launcher sent back from a collected folder (see crucible-launch.c).
 *
 * @param name its path relative to the folder, as the launcher read it (never absolute, no {@code ..})
 * @param executable whether any execute bit was set
 */
public record CollectedFile(String name, boolean executable, byte[] content) {
}
