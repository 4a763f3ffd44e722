package io.graphwal.wal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

import io.graphwal.io.FileHandle;

/**
 * Walks the records of one segment file, checking each one's framing and checksum.
 *
 * <p>It reads the file in large chunks into one reusable buffer and exposes the current record's payload as
 * a view into that buffer, so a scan allocates nothing per record. A record's length is checked against the
 * maximum record size and the bytes left in the file before any buffer is grown for it, so a corrupt length
 * can never cause a large allocation. Not thread-safe; one cursor per reader.
 */
final class RecordCursor {

    /** What {@link #next()} found. */
    enum Outcome {
        /** A whole, checksum-valid record; its fields are readable until the next call. */
        RECORD,
        /** Exactly at the limit: no more records. */
        END,
        /** Bytes at the current offset do not form a valid record; {@link #problem()} says why. */
        DAMAGED
    }

    private FileHandle file;
    private final int maxRecordSize;
    private final CRC32C crc = new CRC32C();
    private ByteBuffer buffer;
    private ByteBuffer crcView;
    private ByteBuffer payloadView;
    private long windowStart;
    private int windowLength;
    private long limit;
    private long position;
    private long minLsn = Long.MIN_VALUE;
    private long maxLsn = Long.MAX_VALUE;

    private long recordOffset;
    private long lsn;
    private int unsyncedDistance;
    private byte type;
    private int recordSize;
    private String problem;

    RecordCursor(FileHandle file, long start, long limit, int maxRecordSize, int bufferSize) {
        this.file = file;
        this.position = start;
        this.limit = limit;
        this.maxRecordSize = maxRecordSize;
        allocate(Math.max(bufferSize, WalFormat.RECORD_HEADER_SIZE));
    }

    /** Points the cursor at another file, keeping its buffer. */
    void reset(FileHandle newFile, long start, long newLimit) {
        file = newFile;
        position = start;
        limit = newLimit;
        windowStart = 0;
        windowLength = 0;
    }

    /** Moves to {@code offset}; the next record is read from there. */
    void seek(long offset) {
        position = offset;
    }

    /** Changes the file offset at which the records end (the segment's valid length). */
    void limit(long newLimit) {
        limit = newLimit;
    }

    long limit() {
        return limit;
    }

    /** The size of the read buffer, which never outgrows the bytes the cursor may read. */
    int bufferCapacity() {
        return buffer.capacity();
    }

    /** Treats records whose LSN lies outside {@code [min, max]} as damaged, before checksumming them. */
    void lsnFilter(long min, long max) {
        minLsn = min;
        maxLsn = max;
    }

    /**
     * Reads the record at the current offset and, if it is valid, moves past it.
     *
     * @return what was found
     * @throws IOException if the file cannot be read
     */
    Outcome next() throws IOException {
        recordOffset = position;
        long remaining = limit - position;
        if (remaining == 0) {
            return Outcome.END;
        }
        if (remaining < WalFormat.RECORD_HEADER_SIZE) {
            return damaged("record header cut off: only " + remaining + " bytes remain");
        }
        if (!ensure(position, WalFormat.RECORD_HEADER_SIZE)) {
            return damaged("file ends before the record header");
        }
        int at = (int) (position - windowStart);
        long length = Integer.toUnsignedLong(buffer.getInt(at));
        long recordLsn = buffer.getLong(at + 8);
        byte recordType = buffer.get(at + 20);
        if (length > maxRecordSize) {
            return damaged("length " + length + " exceeds max-record-size " + maxRecordSize);
        }
        if (length > remaining - WalFormat.RECORD_HEADER_SIZE) {
            return damaged("length " + length + " runs past the end of the data ("
                    + (remaining - WalFormat.RECORD_HEADER_SIZE) + " bytes left)");
        }
        if (recordType == 0) {
            return damaged("record type 0 (zero-filled or never written)");
        }
        if (recordLsn < minLsn || recordLsn > maxLsn) {
            return damaged("LSN " + recordLsn + " outside [" + minLsn + ", " + maxLsn + "]");
        }
        int size = WalFormat.RECORD_HEADER_SIZE + (int) length;
        if (!ensure(position, size)) {
            return damaged("file ends inside the record");
        }
        at = (int) (position - windowStart);
        if (WalFormat.recordCrc(crcView, at, at + size, crc) != buffer.getInt(at + 4)) {
            return damaged("checksum mismatch");
        }
        lsn = recordLsn;
        type = recordType;
        unsyncedDistance = buffer.getInt(at + 16);
        recordSize = size;
        payloadView.limit(at + size).position(at + WalFormat.RECORD_HEADER_SIZE);
        position += size;
        problem = null;
        return Outcome.RECORD;
    }

    /** File offset of the record last examined by {@link #next()}. */
    long recordOffset() {
        return recordOffset;
    }

    /** File offset where the next record is expected. */
    long position() {
        return position;
    }

    long lsn() {
        return lsn;
    }

    byte type() {
        return type;
    }

    int recordSize() {
        return recordSize;
    }

    /** The durable LSN the writer of the current record knew of. */
    long durableLsnAtWrite() {
        return WalFormat.durableLsnAtWrite(lsn, unsyncedDistance);
    }

    /** The current record's payload: a read-only view, valid until the next call. */
    ByteBuffer payload() {
        return payloadView;
    }

    /** Why the last {@link #next()} returned {@link Outcome#DAMAGED}. */
    String problem() {
        return problem;
    }

    private Outcome damaged(String why) {
        problem = why;
        return Outcome.DAMAGED;
    }

    /** Makes {@code [offset, offset + length)} available in the buffer; false if the file is shorter. */
    private boolean ensure(long offset, int length) throws IOException {
        if (offset >= windowStart && offset + length <= windowStart + windowLength) {
            return true;
        }
        if (length > buffer.capacity()) {
            // length has been bounded by max-record-size and by the file's remaining bytes already; growing
            // further (doubling, for the records after it) must respect both bounds too, or a reader that
            // accepts any length (the inspector) would allocate past the end of the file.
            long growTo = Math.min((long) buffer.capacity() * 2,
                    Math.min((long) WalFormat.RECORD_HEADER_SIZE + maxRecordSize, limit - offset));
            allocate((int) Math.max(length, growTo));
        }
        buffer.clear();
        long wanted = Math.min(buffer.capacity(), limit - offset);
        buffer.limit((int) Math.max(wanted, length));
        windowStart = offset;
        windowLength = 0;
        while (buffer.hasRemaining()) {
            int read = file.read(buffer, offset + buffer.position());
            if (read < 0) {
                break;
            }
        }
        windowLength = buffer.position();
        return windowLength >= length;
    }

    private void allocate(int capacity) {
        buffer = ByteBuffer.allocateDirect(capacity).order(ByteOrder.LITTLE_ENDIAN);
        crcView = buffer.duplicate();
        payloadView = buffer.asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
        windowStart = 0;
        windowLength = 0;
    }
}
