package dev.crucible.batch;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.regex.Pattern;

import dev.crucible.logging.SafeMessageConverter;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * Walks the regular files of a stored archive (zip, tar.gz or tar), refusing everything hostile
 * while it reads, before anything is written: absolute or climbing paths (zip slip), links and
 * devices, names that are not UTF-8, too many files and folders, a file over the program size
 * limit, too many bytes in all, and a compression ratio that gives a zip bomb away. Sizes are
 * counted on the bytes really read, never taken from headers, which can lie. What the archive
 * library itself would hold in memory before anything is counted is bounded first: a zip's central
 * directory ({@link ZipDirectory}) and a tar's long-name and PAX headers ({@link BoundedTarInputStream}).
 */
final class ArchiveWalker {

    /** One regular file: its position among the archive's files, its path, its size. */
    record Entry(int index, String path, long size) {
    }

    interface Visitor {
        /** {@code content} may be read partly or not at all; the walker reads the rest (to count it). */
        void file(Entry entry, InputStream content) throws IOException;
    }

    record Limits(int maxFiles, long maxFileBytes, long maxTotalBytes, long maxRatio) {
    }

    private static final long RATIO_FLOOR = 1L << 20;
    private static final Pattern DRIVE = Pattern.compile("^[A-Za-z]:.*");

    private final Limits limits;
    private final long archiveBytes;
    private long totalBytes;
    private int files;
    private int entries;

    private ArchiveWalker(Limits limits, long archiveBytes) {
        this.limits = limits;
        this.archiveBytes = Math.max(1, archiveBytes);
    }

    /** Hands every regular file of the archive to {@code visitor}, in archive order. */
    static void walk(Path archive, Limits limits, Visitor visitor) {
        try (Cursor cursor = open(archive, limits)) {
            Cursor.File file;
            while ((file = cursor.next()) != null) {
                try {
                    visitor.file(file.entry(), file.content());
                } catch (IOException e) {
                    throw new BadArchiveException(400, "the archive is damaged: " + message(e));
                }
            }
        }
    }

    /** Opens a pull-style walk over the archive's regular files (the batch job reads programs so). */
    static Cursor open(Path archive, Limits limits) {
        try {
            ArchiveWalker walker = new ArchiveWalker(limits, Files.size(archive));
            return switch (ArchiveFormat.of(archive)) {
                case ZIP -> walker.new ZipCursor(archive);
                case TAR_GZ -> walker.new TarCursor(new GzipCompressorInputStream(new BufferedInputStream(Files.newInputStream(archive))));
                case TAR -> walker.new TarCursor(new BufferedInputStream(Files.newInputStream(archive)));
            };
        } catch (BadArchiveException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new BadArchiveException(400, "the archive is damaged or not a .zip/.tar.gz: " + message(e));
        }
    }

    /** The regular files of an archive, one after the other; each file's content is valid until the next call. */
    abstract static class Cursor implements AutoCloseable {

        record File(Entry entry, InputStream content) {
        }

        private Counting current;

        /** The next regular file, or null after the last. */
        File next() {
            try {
                if (current != null) {
                    current.transferTo(java.io.OutputStream.nullOutputStream());
                }
                File file = advance();
                current = file == null ? null : (Counting) file.content();
                return file;
            } catch (BadArchiveException e) {
                throw e;
            } catch (IOException | RuntimeException e) {
                throw new BadArchiveException(400, "the archive is damaged or not a .zip/.tar.gz: " + message(e));
            }
        }

        abstract File advance() throws IOException;

        @Override
        public abstract void close();
    }

    private final class ZipCursor extends Cursor {
        private final ZipFile zip;
        private final Enumeration<ZipArchiveEntry> entries;
        private InputStream open;

        ZipCursor(Path archive) throws IOException {
            ZipDirectory.check(archive, limits.maxFiles());
            // local headers are not read ahead: their extra fields (64 KiB each, one header may be
            // named by every directory record) would be held for every entry
            this.zip = ZipFile.builder().setFile(archive.toFile()).setUseUnicodeExtraFields(false)
                    .setIgnoreLocalFileHeader(true).get();
            this.entries = zip.getEntriesInPhysicalOrder();
        }

        @Override
        File advance() throws IOException {
            closeOpen();
            while (entries.hasMoreElements()) {
                ZipArchiveEntry entry = entries.nextElement();
                String name = utf8(entry.getRawName(), entry.getName());
                count();
                if (entry.isDirectory()) {
                    safePath(name);
                    continue;
                }
                if (entry.isUnixSymlink()) {
                    throw new BadArchiveException(422, "'" + name + "' is a symbolic link; archives with links are refused");
                }
                if (!zip.canReadEntryData(entry)) {
                    throw new BadArchiveException(422, "'" + name + "' is encrypted or compressed in a way that cannot be read");
                }
                open = zip.getInputStream(entry);
                return file(name, open);
            }
            return null;
        }

        private void closeOpen() throws IOException {
            if (open != null) {
                open.close();
                open = null;
            }
        }

        @Override
        public void close() {
            try {
                closeOpen();
                zip.close();
            } catch (IOException e) {
                // nothing more to read from it anyway
            }
        }
    }

    private final class TarCursor extends Cursor {
        private final BoundedTarInputStream tar;

        TarCursor(InputStream raw) {
            this.tar = new BoundedTarInputStream(raw);
        }

        @Override
        File advance() throws IOException {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                String name = entry.getName();
                if (name.indexOf('\uFFFD') >= 0) {
                    throw new BadArchiveException(422, "a file name is not UTF-8: '" + name + "'");
                }
                count();
                if (entry.isDirectory()) {
                    safePath(name);
                    continue;
                }
                if (entry.isSymbolicLink() || entry.isLink()) {
                    throw new BadArchiveException(422, "'" + name + "' is a link; archives with links are refused");
                }
                if (!entry.isFile()) {
                    throw new BadArchiveException(422, "'" + name + "' is not a regular file (a device or a pipe); refused");
                }
                return file(name, tar);
            }
            return null;
        }

        @Override
        public void close() {
            try {
                tar.close();
            } catch (IOException e) {
                // nothing more to read from it anyway
            }
        }
    }

    /** Folders count too: each is an entry the archive library holds and the walker reads. */
    private void count() {
        entries++;
        if (entries > limits.maxFiles()) {
            throw new BadArchiveException(413, "the archive holds more than " + limits.maxFiles()
                    + " files and folders (crucible.batch.max-files)");
        }
    }

    /** A regular file's index counts files only, as it always has: batches stored before keep their positions. */
    private Cursor.File file(String rawName, InputStream in) {
        String path = safePath(rawName);
        files++;
        return new Cursor.File(new Entry(files - 1, path, -1), new Counting(in, path));
    }

    /** Counts what comes out of one file, against the file, total and ratio limits. */
    private final class Counting extends FilterInputStream {
        private final String path;
        private long read;

        Counting(InputStream in, String path) {
            super(in);
            this.path = path;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        @Override
        public void close() {
            // the walker owns the archive stream
        }

        private void count(int n) {
            read += n;
            totalBytes += n;
            if (read > limits.maxFileBytes()) {
                throw new BadArchiveException(413, "'" + path + "' is larger than the program size limit of "
                        + limits.maxFileBytes() + " bytes");
            }
            if (totalBytes > limits.maxTotalBytes()) {
                throw new BadArchiveException(413, "the archive unpacks to more than " + limits.maxTotalBytes()
                        + " bytes (crucible.batch.max-bytes)");
            }
            if (totalBytes > RATIO_FLOOR && totalBytes > limits.maxRatio() * archiveBytes) {
                throw new BadArchiveException(413, "the archive unpacks to more than " + limits.maxRatio()
                        + " times its size: refused as a zip bomb");
            }
        }
    }

    /** A path inside the archive, or a refusal when it could land outside the batch's folder. */
    static String safePath(String name) {
        String path = name;
        while (path.startsWith("./")) {
            path = path.substring(2);
        }
        if (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        if (path.isEmpty() || path.startsWith("/") || path.contains("\\") || DRIVE.matcher(path).matches()
                || path.indexOf('\0') >= 0) {
            throw new BadArchiveException(422, "unsafe path in the archive: '" + name + "' (absolute paths are refused)");
        }
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == '\u2028' || c == '\u2029') {
                // a name that could forge a log line or rewrite a terminal; the answer shows it escaped
                throw new BadArchiveException(422, "a file name holds a control character: '"
                        + SafeMessageConverter.escape(name) + "'");
            }
        }
        for (String segment : path.split("/")) {
            if (segment.equals("..")) {
                throw new BadArchiveException(422, "unsafe path in the archive: '" + name + "' ('..' is refused)");
            }
        }
        return path;
    }

    private static String utf8(byte[] raw, String fallback) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(raw)).toString();
        } catch (CharacterCodingException e) {
            throw new BadArchiveException(422, "a file name is not UTF-8: '" + fallback + "'");
        }
    }

    private static String message(Throwable e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
