package io.graphwal.wal;

import java.util.Arrays;

/**
 * A sparse in-memory map from LSN to file offset within one segment: one entry every
 * {@value #INTERVAL_BYTES} bytes of records, so a reader seeks to within that many bytes of any LSN instead
 * of scanning the segment from its header. Rebuilt by the verifying scan at open, so it needs no file of its
 * own and can never disagree with the data.
 *
 * <p>The appender is the only writer; readers look entries up concurrently, so both sides synchronise on
 * the index. An entry is added at most once per interval, which keeps that lock off the per-record path.
 */
final class OffsetIndex {

    static final int INTERVAL_BYTES = 64 * 1024;

    private long[] lsns = new long[16];
    private long[] offsets = new long[16];
    private int size;
    // Written only by the appending thread (or the recovering thread before the log is shared).
    private long nextOffset;

    /** Records that {@code lsn} starts at {@code offset} if the previous entry is far enough behind. */
    void maybeAdd(long lsn, long offset) {
        if (offset >= nextOffset) {
            add(lsn, offset);
            nextOffset = offset + INTERVAL_BYTES;
        }
    }

    private synchronized void add(long lsn, long offset) {
        if (size == lsns.length) {
            lsns = Arrays.copyOf(lsns, size * 2);
            offsets = Arrays.copyOf(offsets, size * 2);
        }
        lsns[size] = lsn;
        offsets[size] = offset;
        size++;
    }

    /**
     * Returns the indexed record with the greatest LSN not above {@code lsn}, as {@code {lsn, offset}}, or
     * {@code null} if every indexed LSN is above it.
     */
    synchronized long[] floor(long lsn) {
        int found = Arrays.binarySearch(lsns, 0, size, lsn);
        int index = found >= 0 ? found : -found - 2;
        return index >= 0 ? new long[] {lsns[index], offsets[index]} : null;
    }

    synchronized int size() {
        return size;
    }
}
