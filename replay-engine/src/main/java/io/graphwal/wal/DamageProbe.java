package io.graphwal.wal;

import java.io.IOException;
import java.nio.ByteBuffer;

import io.graphwal.io.FileHandle;

/**
 * Reads what the bytes at and past a damaged record of a segment prove, for the scan to judge the damage:
 * whether they are all zeros (space zero-filled ahead and never written), whether the damaged record is
 * only longer than max-record-size, and which whole, checksum-valid records follow it at any byte offset
 * (evidence that the damage was durable, and how far a cut would reach).
 *
 * <p>It only reads, and holds nothing but the maximum record size, so one probe serves a whole scan; each
 * call allocates its own buffers, since damage is rare and the scan's own cursor must keep its position.
 * Used by the scanning thread only.
 */
final class DamageProbe {

    private static final int SEARCH_BUFFER = 1 << 20;
    private static final int ZERO_CHECK_BUFFER = 64 * 1024;

    private final int maxRecordSize;

    DamageProbe(int maxRecordSize) {
        this.maxRecordSize = maxRecordSize;
    }

    /** Whether every byte of {@code [from, end)} is zero. */
    static boolean isZeroFilled(FileHandle file, long from, long end) throws IOException {
        ByteBuffer chunk = ByteBuffer.allocate((int) Math.min(ZERO_CHECK_BUFFER, end - from));
        long at = from;
        while (at < end) {
            chunk.clear().limit((int) Math.min(chunk.capacity(), end - at));
            int read = file.read(chunk, at);
            if (read < 0) {
                return false; // the file shrank under us: not a state to call clean
            }
            byte[] bytes = chunk.array();
            for (int i = 0; i < read; i++) {
                if (bytes[i] != 0) {
                    return false;
                }
            }
            at += read;
        }
        return true;
    }

    /**
     * Checks whether the record at {@code offset} is damaged only in the sense that it is longer than
     * max-record-size: whole, with LSN {@code lsn} and a valid checksum, written by a log configured with a
     * larger maximum. Such a record is neither torn nor corrupt, so it must never be cut off. Its bytes are
     * read only once its header is plausible, into a buffer no larger than the rest of the file.
     *
     * @return its payload length, or -1 if the bytes there are not such a record
     */
    long oversizedRecord(FileHandle file, long offset, long end, long lsn) throws IOException {
        long room = end - offset - WalFormat.RECORD_HEADER_SIZE;
        if (room <= maxRecordSize) {
            return -1;
        }
        RecordCursor probe = new RecordCursor(file, offset, end,
                (int) Math.min(room, WalConfig.MAX_RECORD_SIZE_LIMIT), WalFormat.RECORD_HEADER_SIZE);
        probe.lsnFilter(lsn, lsn);
        if (probe.next() != RecordCursor.Outcome.RECORD) {
            return -1;
        }
        long length = probe.recordSize() - WalFormat.RECORD_HEADER_SIZE;
        return length > maxRecordSize ? length : -1;
    }

    /**
     * Looks for a valid record with an LSN of at least {@code minLsn} anywhere in {@code [from, end)} whose
     * writer knew {@code durableAtLeast} to be durable.
     *
     * @return its offset, or -1 if there is none
     */
    long firstValidRecord(FileHandle file, long from, long end, long minLsn, long durableAtLeast)
            throws IOException {
        long[] found = {-1};
        scanForRecords(file, from, end, minLsn, candidate -> {
            if (candidate.durableLsnAtWrite() >= durableAtLeast) {
                found[0] = candidate.recordOffset();
                return false;
            }
            return true;
        });
        return found[0];
    }

    /** The highest LSN of any valid record in {@code [from, end)}, or -1. */
    long lastRecordAfter(FileHandle file, long from, long end, long minLsn) throws IOException {
        long[] highest = {-1};
        scanForRecords(file, from, end, minLsn, candidate -> {
            highest[0] = Math.max(highest[0], candidate.lsn());
            return true;
        });
        return highest[0];
    }

    private interface RecordVisitor {
        boolean visit(RecordCursor candidate);
    }

    /**
     * Tries every byte offset in {@code [from, end)} as a record start. Candidates are filtered by length
     * and by a plausible LSN range before any checksum is computed, so random bytes cost a few comparisons
     * each; after a valid record the scan jumps past it.
     */
    private void scanForRecords(FileHandle file, long from, long end, long minLsn, RecordVisitor visitor)
            throws IOException {
        RecordCursor probe = new RecordCursor(file, from, end, maxRecordSize, SEARCH_BUFFER);
        probe.lsnFilter(minLsn, minLsn + (end - from) / WalFormat.RECORD_HEADER_SIZE + 1);
        long offset = from;
        while (end - offset >= WalFormat.RECORD_HEADER_SIZE) {
            probe.seek(offset);
            if (probe.next() == RecordCursor.Outcome.RECORD) {
                if (!visitor.visit(probe)) {
                    return;
                }
                offset = probe.position();
            } else {
                offset++;
            }
        }
    }
}
