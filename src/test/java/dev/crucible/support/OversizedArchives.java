package dev.crucible.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

/**
 * Archives whose headers or directory claim, or hold, more than an upload may: the kind that
 * makes an archive library allocate before anything is counted. Large ones are streamed through
 * gzip, never held uncompressed in memory.
 */
public final class OversizedArchives {

    private static final byte[] PRINT = "print(1)\n".getBytes(StandardCharsets.UTF_8);

    private OversizedArchives() {
    }

    /**
     * A tar.gz whose first header is a GNU long name ({@code 'L'}) or a PAX extended header
     * ({@code 'x'}) of {@code size} bytes, all of them present (a PAX header holds one record,
     * a path of that length), followed by one small program.
     */
    public static byte[] tarGzWithHugeHeader(char typeflag, long size) {
        return tarGz(tar -> {
            String name = typeflag == 'L' ? "././@LongLink" : "././@PaxHeader";
            TarArchiveEntry header = new TarArchiveEntry(name, (byte) typeflag);
            header.setSize(size);
            tar.putArchiveEntry(header);
            long left = size;
            if (typeflag != 'L') {
                String digits = Long.toString(size);
                byte[] start = (digits + " path=").getBytes(StandardCharsets.US_ASCII);
                tar.write(start);
                left -= start.length + 1; // the record ends with a newline
            }
            byte[] chunk = new byte[64 * 1024];
            Arrays.fill(chunk, (byte) 'a');
            while (left > 0) {
                int n = (int) Math.min(chunk.length, left);
                tar.write(chunk, 0, n);
                left -= n;
            }
            if (typeflag != 'L') {
                tar.write('\n');
            }
            tar.closeArchiveEntry();
            file(tar, "a.py", PRINT);
        });
    }

    /** A tar.gz with {@code count} PAX extended headers in a row before its one program. */
    public static byte[] tarGzWithHeaderChain(int count) {
        return tarGz(tar -> {
            for (int i = 0; i < count; i++) {
                pax(tar, TarConstants.LF_PAX_EXTENDED_HEADER_LC, record("comment", "header " + i));
            }
            file(tar, "a.py", PRINT);
        });
    }

    /** A tar.gz holding {@code a.py} as a GNU sparse file of the PAX 1.0 format (its map precedes its data). */
    public static byte[] tarGzWithPaxSparseFile() {
        return tarGz(tar -> {
            pax(tar, TarConstants.LF_PAX_EXTENDED_HEADER_LC, record("GNU.sparse.major", "1") + record("GNU.sparse.minor", "0")
                    + record("GNU.sparse.name", "a.py") + record("GNU.sparse.realsize", Integer.toString(PRINT.length)));
            byte[] data = new byte[512 + PRINT.length];
            byte[] map = ("1\n0\n" + PRINT.length + "\n").getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(map, 0, data, 0, map.length);
            System.arraycopy(PRINT, 0, data, 512, PRINT.length);
            file(tar, "GNUSparseFile.0/a.py", data);
        });
    }

    /** A tar.gz holding {@code a.py} as an old GNU sparse file (typeflag {@code 'S'}). */
    public static byte[] tarGzWithOldGnuSparseFile() {
        return tarGz(tar -> {
            TarArchiveEntry entry = new TarArchiveEntry("a.py", TarConstants.LF_GNUTYPE_SPARSE);
            entry.setSize(PRINT.length);
            tar.putArchiveEntry(entry);
            tar.write(PRINT);
            tar.closeArchiveEntry();
        });
    }

    /** A tar.gz with {@code files} programs and {@code folders} folder entries. */
    public static byte[] tarGzWithFolders(int files, int folders) {
        return tarGz(tar -> {
            for (int i = 0; i < folders; i++) {
                tar.putArchiveEntry(new TarArchiveEntry("folder" + i + "/"));
                tar.closeArchiveEntry();
            }
            for (int i = 0; i < files; i++) {
                file(tar, "p" + i + ".py", PRINT);
            }
        });
    }

    /** A zip with {@code files} programs and {@code folders} folder entries (a zip64 directory past 65535 entries). */
    public static byte[] zipWithFolders(int files, int folders) {
        return zip(zip -> {
            for (int i = 0; i < folders; i++) {
                zip.putArchiveEntry(new ZipArchiveEntry("d" + i + "/"));
                zip.closeArchiveEntry();
            }
            for (int i = 0; i < files; i++) {
                zip.putArchiveEntry(new ZipArchiveEntry("p" + i + ".py"));
                zip.write(PRINT);
                zip.closeArchiveEntry();
            }
        });
    }

    /** A zip of {@code files} programs, each with a comment of {@code commentBytes} (comments live in the central directory only). */
    public static byte[] zipWithLongComments(int files, int commentBytes) {
        String comment = "c".repeat(commentBytes);
        return zip(zip -> {
            for (int i = 0; i < files; i++) {
                ZipArchiveEntry entry = new ZipArchiveEntry("p" + i + ".py");
                entry.setComment(comment);
                zip.putArchiveEntry(entry);
                zip.write(PRINT);
                zip.closeArchiveEntry();
            }
        });
    }

    /** The same zip, its end-of-central-directory record claiming {@code entries} entries (a lie, when they differ). */
    public static byte[] withDeclaredEntries(byte[] zip, int entries) {
        byte[] copy = zip.clone();
        for (int at = copy.length - 22; at >= 0; at--) {
            if (copy[at] == 'P' && copy[at + 1] == 'K' && copy[at + 2] == 5 && copy[at + 3] == 6) {
                ByteBuffer eocd = ByteBuffer.wrap(copy).order(ByteOrder.LITTLE_ENDIAN);
                eocd.putShort(at + 8, (short) entries);
                eocd.putShort(at + 10, (short) entries);
                return copy;
            }
        }
        throw new IllegalArgumentException("not a zip");
    }

    private interface TarWriting {
        void write(TarArchiveOutputStream tar) throws IOException;
    }

    private interface ZipWriting {
        void write(ZipArchiveOutputStream zip) throws IOException;
    }

    private static byte[] tarGz(TarWriting writing) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(bytes), "UTF-8")) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            writing.write(tar);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static byte[] zip(ZipWriting writing) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(bytes)) {
            writing.write(zip);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static void file(TarArchiveOutputStream tar, String name, byte[] content) throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(name);
        entry.setSize(content.length);
        tar.putArchiveEntry(entry);
        tar.write(content);
        tar.closeArchiveEntry();
    }

    private static void pax(TarArchiveOutputStream tar, byte typeflag, String records) throws IOException {
        byte[] data = records.getBytes(StandardCharsets.UTF_8);
        TarArchiveEntry header = new TarArchiveEntry("././@PaxHeader", typeflag);
        header.setSize(data.length);
        tar.putArchiveEntry(header);
        tar.write(data);
        tar.closeArchiveEntry();
    }

    /** One PAX record: "LENGTH key=value\n", where LENGTH counts the whole record, itself included. */
    static String record(String key, String value) {
        int rest = 1 + key.length() + 1 + value.getBytes(StandardCharsets.UTF_8).length + 1;
        int length = rest + Integer.toString(rest).length();
        if (Integer.toString(length).length() != Integer.toString(rest).length()) {
            length++;
        }
        return length + " " + key + "=" + value + "\n";
    }
}
