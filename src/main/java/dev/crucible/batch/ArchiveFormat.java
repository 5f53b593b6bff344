package dev.crucible.batch;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** The archive kinds a batch can come in, told by their first bytes (not by a file name). */
enum ArchiveFormat {
    ZIP, TAR_GZ, TAR;

    static ArchiveFormat of(Path file) {
        byte[] head = new byte[512];
        int n;
        try (InputStream in = Files.newInputStream(file)) {
            n = in.readNBytes(head, 0, head.length);
        } catch (IOException e) {
            throw new BadArchiveException(400, "the upload could not be read: " + e.getMessage());
        }
        if (n >= 4 && head[0] == 'P' && head[1] == 'K' && (head[2] == 3 || head[2] == 5) && (head[3] == 4 || head[3] == 6)) {
            return ZIP;
        }
        if (n >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) {
            return TAR_GZ;
        }
        if (n >= 262 && head[257] == 'u' && head[258] == 's' && head[259] == 't' && head[260] == 'a' && head[261] == 'r') {
            return TAR;
        }
        throw new BadArchiveException(400, "the upload is not a .zip or .tar.gz archive");
    }
}
