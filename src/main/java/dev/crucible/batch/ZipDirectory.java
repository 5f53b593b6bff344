package dev.crucible.batch;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Measures a zip's central directory before commons-compress' {@code ZipFile} loads it: opening a
 * {@code ZipFile} reads every directory record into memory (hundreds of bytes of objects for a
 * record of 46 bytes), before the walker has counted anything. So a zip is refused first when its
 * end record lists more entries than an upload may hold (folders count), when its directory is
 * larger than {@link #BYTES_PER_ENTRY} per allowed entry, or when the directory holds more records
 * than that (an end record can lie; {@code ZipFile} reads records for as long as they come).
 * <p>
 * The directory is found the way commons-compress 1.28 finds it (the last end record in the final
 * 64 KiB, the zip64 locator just before it, the same start offset), so both read the same
 * records. Where this finds no directory, {@code ZipFile} refuses the archive itself.
 */
final class ZipDirectory {

    /** Room for a record's name, extra fields and comment: generous for real archives (typically 100-300 bytes). */
    static final int BYTES_PER_ENTRY = 1024;

    private static final int END_RECORD_SIGNATURE = 0x06054b50;
    private static final int ZIP64_LOCATOR_SIGNATURE = 0x07064b50;
    private static final int ZIP64_END_RECORD_SIGNATURE = 0x06064b50;
    private static final int RECORD_SIGNATURE = 0x02014b50;
    private static final int END_RECORD_LENGTH = 22;
    private static final int MAX_END_RECORD_DISTANCE = END_RECORD_LENGTH + 0xFFFF;
    private static final int ZIP64_LOCATOR_LENGTH = 20;
    private static final int RECORD_LENGTH = 46;

    private final FileChannel zip;
    private final long size;
    private final int maxEntries;
    private final long maxBytes;

    private ZipDirectory(FileChannel zip, int maxEntries) throws IOException {
        this.zip = zip;
        this.size = zip.size();
        this.maxEntries = maxEntries;
        this.maxBytes = (long) maxEntries * BYTES_PER_ENTRY;
    }

    /** @throws BadArchiveException (413) the directory is over the limits */
    static void check(Path archive, int maxEntries) throws IOException {
        try (FileChannel zip = FileChannel.open(archive, StandardOpenOption.READ)) {
            new ZipDirectory(zip, maxEntries).check();
        }
    }

    private void check() throws IOException {
        long end = endRecord();
        if (end < 0) {
            return;
        }
        long entries;
        long bytes;
        long start;
        if (end > ZIP64_LOCATOR_LENGTH && int32(end - ZIP64_LOCATOR_LENGTH) == ZIP64_LOCATOR_SIGNATURE) {
            long zip64End = int64(end - ZIP64_LOCATOR_LENGTH + 8);
            if (zip64End < 0 || zip64End + 56 > size || int32(zip64End) != ZIP64_END_RECORD_SIGNATURE) {
                return;
            }
            entries = int64(zip64End + 32);
            bytes = int64(zip64End + 40);
            start = int64(zip64End + 48);
        } else {
            entries = uint16(end + 10);
            bytes = uint32(end + 12);
            long relativeStart = uint32(end + 16);
            start = relativeStart + Math.max(end - bytes - relativeStart, 0);
        }
        if (entries < 0 || entries > maxEntries) {
            throw tooMany("its directory lists " + Long.toUnsignedString(entries) + " entries");
        }
        if (bytes < 0 || bytes > maxBytes) {
            throw tooLarge(Long.toUnsignedString(bytes));
        }
        walk(start);
    }

    /** Counts the records from {@code start} on, as ZipFile will read them, without keeping any. */
    private void walk(long start) throws IOException {
        ByteBuffer record = ByteBuffer.allocate(RECORD_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
        long at = start;
        long bytes = 0;
        int entries = 0;
        while (at >= 0 && at + RECORD_LENGTH <= size) {
            read(record, at);
            if (record.getInt(0) != RECORD_SIGNATURE) {
                return;
            }
            long length = RECORD_LENGTH + Short.toUnsignedInt(record.getShort(28)) + Short.toUnsignedInt(record.getShort(30))
                    + Short.toUnsignedInt(record.getShort(32));
            if (++entries > maxEntries) {
                throw tooMany("its directory holds more entries than its end record lists");
            }
            bytes += length;
            if (bytes > maxBytes) {
                throw tooLarge("more than " + maxBytes);
            }
            at += length;
        }
    }

    /** The position of the last end record in the final 64 KiB, or -1. */
    private long endRecord() throws IOException {
        long from = Math.max(0, size - MAX_END_RECORD_DISTANCE);
        if (size < END_RECORD_LENGTH) {
            return -1;
        }
        ByteBuffer tail = ByteBuffer.allocate((int) (size - from)).order(ByteOrder.LITTLE_ENDIAN);
        read(tail, from);
        for (long at = size - END_RECORD_LENGTH; at >= from; at--) {
            if (tail.getInt((int) (at - from)) == END_RECORD_SIGNATURE) {
                return at;
            }
        }
        return -1;
    }

    private BadArchiveException tooMany(String detail) {
        return new BadArchiveException(413, "the archive holds more than " + maxEntries
                + " files and folders (crucible.batch.max-files): " + detail);
    }

    private BadArchiveException tooLarge(String bytes) {
        return new BadArchiveException(413, "the archive's central directory takes " + bytes + " bytes, more than the "
                + maxBytes + " bytes that " + maxEntries + " files and folders may take (crucible.batch.max-files)");
    }

    private int uint16(long at) throws IOException {
        return Short.toUnsignedInt(field(at, 2).getShort(0));
    }

    private long uint32(long at) throws IOException {
        return Integer.toUnsignedLong(field(at, 4).getInt(0));
    }

    private int int32(long at) throws IOException {
        return field(at, 4).getInt(0);
    }

    private long int64(long at) throws IOException {
        return field(at, 8).getLong(0);
    }

    private ByteBuffer field(long at, int length) throws IOException {
        ByteBuffer field = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        read(field, at);
        return field;
    }

    private void read(ByteBuffer buffer, long at) throws IOException {
        buffer.clear();
        long position = at;
        while (buffer.hasRemaining()) {
            int n = zip.read(buffer, position);
            if (n < 0) {
                throw new EOFException("the zip ends inside its directory");
            }
            position += n;
        }
    }
}
