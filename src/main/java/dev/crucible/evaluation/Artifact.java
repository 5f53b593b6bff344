package dev.crucible.evaluation;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A file a program wrote under {@code /out} ({@code $CRUCIBLE_OUTPUT_DIR}), as it was sent back by
 * the launcher and stored with the evaluation.
 *
 * @param name its path under /out (relative, checked on arrival)
 */
public record Artifact(String name, long size, String sha256, byte[] content) {

    public static Artifact of(String name, byte[] content) {
        try {
            return new Artifact(name, content.length,
                    HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content)), content);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What the listing shows: everything but the bytes. */
    @io.swagger.v3.oas.annotations.media.Schema(name = "ArtifactInfo")
    public record Info(String name, long size, String sha256) {
    }

    public Info info() {
        return new Info(name, size, sha256);
    }

    /** PNG or JPEG by their first bytes (never by name): the only kinds a page shows inline. */
    public String imageType() {
        if (content.length >= 8 && (content[0] & 0xff) == 0x89 && content[1] == 'P' && content[2] == 'N' && content[3] == 'G'
                && content[4] == '\r' && content[5] == '\n' && content[6] == 0x1a && content[7] == '\n') {
            return "image/png";
        }
        if (content.length >= 3 && (content[0] & 0xff) == 0xff && (content[1] & 0xff) == 0xd8 && (content[2] & 0xff) == 0xff) {
            return "image/jpeg";
        }
        return null;
    }
}
