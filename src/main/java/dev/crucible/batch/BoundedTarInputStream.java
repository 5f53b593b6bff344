package dev.crucible.batch;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * A tar reader that bounds what commons-compress holds in memory for headers that only describe
 * the next entry: GNU long names and long links, PAX extended and global headers. commons-compress
 * 1.28 reads such a header's whole content into memory before anything else is counted (a 1 GiB
 * long name compresses to about 1 MB) and offers no option to bound it, so this subclass checks
 * the size the entry claims at the first read of its content, before a byte of it is read, and
 * refuses it past {@link #MAX_HEADER_BYTES}. It hooks the two places every such read passes
 * through ({@link #readRecord()} for each 512-byte header, {@link #read(byte[], int, int)} for
 * their content), so it cannot fall out of step with the parser, as a wrapper that parsed the
 * headers itself could.
 * <p>
 * Also refused: more than {@link #MAX_HEADERS_IN_A_ROW} such headers in a row (each one is a level
 * of recursion in commons-compress), PAX global headers that take more than
 * {@link #MAX_HEADER_BYTES} in all (their keys accumulate for the rest of the archive), and
 * sparse files (their maps are read into memory entry by entry, unbounded; scripts are never sparse).
 */
final class BoundedTarInputStream extends TarArchiveInputStream {

    static final int MAX_HEADER_BYTES = 64 * 1024;
    static final int MAX_HEADERS_IN_A_ROW = 8;

    private static final int TYPEFLAG_OFFSET = 156;
    private static final byte[] SPARSE_KEY = "GNU.sparse.".getBytes(StandardCharsets.US_ASCII);

    private int headersInARow;
    private long globalHeaderBytes;
    private TarArchiveEntry checked;
    /** The content of a checked PAX header, read ahead to look inside it; null for other entries. */
    private InputStream checkedContent;

    BoundedTarInputStream(InputStream in) {
        super(in, StandardCharsets.UTF_8.name());
    }

    @Override
    protected byte[] readRecord() throws IOException {
        byte[] record = super.readRecord();
        if (record != null && record.length > TYPEFLAG_OFFSET) {
            byte type = record[TYPEFLAG_OFFSET];
            if (type == TarConstants.LF_GNUTYPE_SPARSE) {
                throw sparse();
            }
            if (describesTheNextEntry(type)) {
                if (++headersInARow > MAX_HEADERS_IN_A_ROW) {
                    throw new BadArchiveException(422, "the archive has more than " + MAX_HEADERS_IN_A_ROW
                            + " extended headers in a row (GNU long names or PAX headers) before an entry");
                }
            } else {
                headersInARow = 0;
            }
        }
        return record;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        TarArchiveEntry entry = getCurrentEntry();
        if (entry != null && entry != checked && describesTheNextEntry(entry)) {
            check(entry);
        }
        if (entry != null && entry == checked && checkedContent != null) {
            return checkedContent.read(buffer, offset, length);
        }
        return super.read(buffer, offset, length);
    }

    private void check(TarArchiveEntry header) throws IOException {
        long size = header.getSize();
        if (size > MAX_HEADER_BYTES) {
            throw new BadArchiveException(413, "a " + kind(header) + " in the archive claims " + size + " bytes; at most "
                    + MAX_HEADER_BYTES + " are accepted");
        }
        if (header.isGlobalPaxHeader()) {
            globalHeaderBytes += size;
            if (globalHeaderBytes > MAX_HEADER_BYTES) {
                throw new BadArchiveException(413, "the archive's PAX global headers take more than " + MAX_HEADER_BYTES + " bytes");
            }
        }
        checked = header;
        checkedContent = null;
        if (header.isPaxHeader() || header.isGlobalPaxHeader()) {
            byte[] content = new byte[(int) Math.max(0, size)];
            int read = 0;
            int n;
            while (read < content.length && (n = super.read(content, read, content.length - read)) > 0) {
                read += n;
            }
            if (contains(content, read, SPARSE_KEY)) {
                throw sparse();
            }
            checkedContent = new ByteArrayInputStream(content, 0, read);
        }
    }

    private static boolean describesTheNextEntry(byte type) {
        return type == TarConstants.LF_GNUTYPE_LONGNAME || type == TarConstants.LF_GNUTYPE_LONGLINK
                || type == TarConstants.LF_PAX_EXTENDED_HEADER_LC || type == TarConstants.LF_PAX_EXTENDED_HEADER_UC
                || type == TarConstants.LF_PAX_GLOBAL_EXTENDED_HEADER;
    }

    private static boolean describesTheNextEntry(TarArchiveEntry entry) {
        return entry.isGNULongNameEntry() || entry.isGNULongLinkEntry() || entry.isPaxHeader() || entry.isGlobalPaxHeader();
    }

    private static String kind(TarArchiveEntry header) {
        if (header.isGNULongNameEntry()) {
            return "GNU long name header";
        }
        if (header.isGNULongLinkEntry()) {
            return "GNU long link header";
        }
        return header.isGlobalPaxHeader() ? "PAX global header" : "PAX extended header";
    }

    /** Whether a PAX header's records could name a GNU sparse key (a plain search: it never misses one). */
    private static boolean contains(byte[] content, int length, byte[] key) {
        outer:
        for (int i = 0; i + key.length <= length; i++) {
            for (int j = 0; j < key.length; j++) {
                if (content[i + j] != key[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private static BadArchiveException sparse() {
        return new BadArchiveException(422, "the archive holds a sparse file; sparse files are refused");
    }
}
