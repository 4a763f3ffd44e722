package io.graphwal.wal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.NoSuchFileException;
import java.util.function.Supplier;

import io.graphwal.io.FileHandle;
import io.graphwal.io.FileIO;

/**
 * Reads records in LSN order from any retained LSN, across segments, checking every checksum again.
 *
 * <p>Positioning uses each segment's offset index, so opening a reader at LSN {@code n} costs a lookup and a
 * scan of at most one index interval, never a scan from the first segment. A reader sees every record
 * appended before {@link #next()} returns false and can simply be called again later to continue with newer
 * ones (a tailing reader for replication or change capture). A reader from {@link WalInspector#reader(long)}
 * reads only the records that inspector verified, and opens files for reading only. {@link #payload()} is a
 * view into the reader's buffer, valid until the next call; copy what you keep. Not thread-safe; one reader
 * per thread.
 */
public final class WalReader implements AutoCloseable {

    private static final int READ_BUFFER = 256 * 1024;

    private final Supplier<Segment[]> segmentList;
    private final FileIO io;
    private final int maxRecordSize;
    private final long startLsn;
    private Segment segment;
    private FileHandle file;
    private RecordCursor cursor;
    private long expectedLsn;
    private long lsn;
    private byte type;
    private boolean closed;

    /**
     * Opens a reader over a list of segments that may grow (a live log) or not (an inspected one).
     *
     * @param segmentList the current segments, oldest first, never empty; read again at each segment's end
     * @param newest the newest LSN readable now
     */
    WalReader(Supplier<Segment[]> segmentList, long newest, FileIO io, int maxRecordSize, long fromLsn) {
        this.segmentList = segmentList;
        this.io = io;
        this.maxRecordSize = maxRecordSize;
        this.startLsn = fromLsn;
        Segment[] segments = segmentList.get();
        long oldest = segments[0].firstLsn();
        if (fromLsn < oldest) {
            throw new WalException("LSN " + fromLsn + " is no longer in the log: segments up to LSN " + (oldest - 1)
                    + " were purged after a snapshot. Read from LSN " + oldest + " or later.");
        }
        if (fromLsn > newest + 1) {
            throw new WalException("LSN " + fromLsn + " has not been written yet; the newest LSN is " + newest);
        }
        Segment target = segments[0];
        for (Segment candidate : segments) {
            if (candidate.firstLsn() <= fromLsn) {
                target = candidate;
            }
        }
        long[] entry = target.index().floor(fromLsn);
        if (entry == null) {
            open(target, target.firstLsn(), WalFormat.SEGMENT_HEADER_SIZE);
        } else {
            open(target, entry[0], entry[1]);
        }
    }

    /**
     * Moves to the next record.
     *
     * @return true if there is one; false once every record appended so far has been read
     * @throws WalCorruptionException if a record fails its checksum or is out of LSN order
     * @throws WalException if the file cannot be read
     */
    public boolean next() {
        if (closed) {
            throw new WalClosedException("This WAL reader is closed");
        }
        try {
            while (true) {
                RecordCursor.Outcome outcome = cursor.next();
                if (outcome == RecordCursor.Outcome.RECORD) {
                    if (cursor.lsn() != expectedLsn) {
                        throw LogScan.corruption(segment.path(), cursor.recordOffset(), expectedLsn,
                                "found LSN " + cursor.lsn() + " where LSN " + expectedLsn + " belongs");
                    }
                    expectedLsn++;
                    if (cursor.lsn() < startLsn) {
                        continue;
                    }
                    lsn = cursor.lsn();
                    type = cursor.type();
                    return true;
                }
                if (outcome == RecordCursor.Outcome.DAMAGED) {
                    throw LogScan.corruption(segment.path(), cursor.recordOffset(), expectedLsn, cursor.problem()
                            + " (found while reading)");
                }
                if (!advance()) {
                    return false;
                }
            }
        } catch (IOException e) {
            throw new WalException("Cannot read " + segment.path() + " at LSN " + expectedLsn + ": " + e, e);
        }
    }

    /** At the end of the readable bytes: extends to newly appended ones or moves to the next segment. */
    private boolean advance() throws IOException {
        // Read the segment list before the end offset: once a successor is published, this segment's end
        // offset is final, so nothing appended to it can be missed.
        Segment[] segments = segmentList.get();
        long end = segment.endOffset();
        if (end > cursor.limit()) {
            cursor.limit(end);
            return true;
        }
        for (Segment candidate : segments) {
            if (candidate.firstLsn() == expectedLsn && candidate != segment) {
                file.close();
                open(candidate, candidate.firstLsn(), WalFormat.SEGMENT_HEADER_SIZE);
                return true;
            }
        }
        return false;
    }

    private void open(Segment target, long firstLsn, long offset) {
        try {
            FileHandle handle = io.open(target.path(), FileIO.OpenMode.READ);
            segment = target;
            file = handle;
            if (cursor == null) {
                cursor = new RecordCursor(handle, offset, target.endOffset(), maxRecordSize, READ_BUFFER);
            } else {
                cursor.reset(handle, offset, target.endOffset());
            }
            expectedLsn = firstLsn;
        } catch (NoSuchFileException e) {
            throw new WalException("Segment " + target.path() + " was purged while this reader needed LSN " + firstLsn, e);
        } catch (IOException e) {
            throw new WalException("Cannot open " + target.path() + " for reading: " + e, e);
        }
    }

    /**
     * Returns the current record's LSN.
     *
     * @return the LSN
     */
    public long lsn() {
        return lsn;
    }

    /**
     * Returns the current record's type.
     *
     * @return the type given to {@link LogWriter#append}
     */
    public byte type() {
        return type;
    }

    /**
     * Returns the current record's payload, a read-only view valid until the next call to {@link #next()}.
     *
     * @return the payload
     */
    public ByteBuffer payload() {
        return cursor.payload();
    }

    /** Releases the reader's file handle. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            try {
                file.close();
            } catch (IOException e) {
                throw new WalException("Cannot close WAL reader: " + e, e);
            }
        }
    }
}
