package io.graphwal.wal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/**
 * Records framed and checksummed but not yet written: one reusable direct buffer holding them back to back,
 * exactly as they will lie in the segment, so that one positional write takes them all to the file.
 *
 * <p>Owned by the {@link SegmentWriter} and used under the log's append lock only. Adding a record allocates
 * nothing unless it does not fit; the buffer then grows (at least doubling, keeping what it holds) and never
 * shrinks, so a log settles on one buffer as large as its largest batch.
 */
final class RecordBatch {

    private static final int INITIAL_CAPACITY = 64 * 1024;

    private final CRC32C crc = new CRC32C();
    private ByteBuffer buffer;
    /** A view of {@link #buffer} with its own position and limit, for checksumming what was just framed. */
    private ByteBuffer crcView;

    RecordBatch() {
        allocate(INITIAL_CAPACITY);
    }

    /** How many bytes of framed records it holds. */
    int bytes() {
        return buffer.position();
    }

    /**
     * Frames one record of {@code length} payload bytes and checksums it.
     *
     * @param unsyncedDistance how far {@code lsn} is ahead of the durable LSN its writer knows of
     * @param payload the bytes to log; its position advances to its limit
     */
    void add(long lsn, int unsyncedDistance, byte type, ByteBuffer payload, int length) {
        int size = WalFormat.RECORD_HEADER_SIZE + length;
        ByteBuffer target = room(size);
        int at = target.position();
        WalFormat.putRecordHeader(target, length, lsn, unsyncedDistance, type);
        target.put(payload);
        target.putInt(at + 4, WalFormat.recordCrc(crcView, at, at + size, crc));
    }

    /**
     * Writes every batched record to {@code segment} at {@code offset} with one positional write, and empties
     * the batch whether or not the write succeeds: after a failed write the log is poisoned, and the batch's
     * records die with the process.
     */
    void writeTo(Segment segment, long offset) throws IOException {
        buffer.flip();
        try {
            segment.write(buffer, offset);
        } finally {
            buffer.clear();
        }
    }

    /** Returns the buffer with room for {@code size} more bytes, keeping what it holds. */
    private ByteBuffer room(int size) {
        if (buffer.remaining() < size) {
            ByteBuffer old = buffer;
            long wanted = Math.max((long) old.position() + size, 2L * old.capacity());
            allocate((int) Math.min(wanted, Integer.MAX_VALUE - 8));
            old.flip();
            buffer.put(old);
        }
        return buffer;
    }

    private void allocate(int capacity) {
        buffer = ByteBuffer.allocateDirect(capacity).order(ByteOrder.LITTLE_ENDIAN);
        crcView = buffer.duplicate();
    }
}
