package io.graphwal.wal;

import java.nio.file.Path;

import io.graphwal.io.FileHandle;

/**
 * One segment file: its name, LSN range, the length of its valid data and its offset index.
 *
 * <p>{@code lastLsn} and {@code endOffset} are written only by the appender (under the log's append lock)
 * and published through volatile writes, {@code endOffset} before the log's appended LSN, so a reader that
 * sees an appended LSN also sees the bytes that hold it. A segment is sealed (fsynced, writer closed) before
 * its successor is published; the seal happens under the log's force lock, so no fsync can race the close.
 */
final class Segment {

    final Path path;
    final long firstLsn;
    final OffsetIndex index = new OffsetIndex();
    volatile long lastLsn;
    volatile long endOffset;
    /** Open for appending while this is the active segment; {@code null} once sealed or for old segments. */
    FileHandle writer;
    /** Guarded by the log's force lock. */
    boolean sealed;
    /**
     * Where the file's zeros past the records end: bytes in {@code [endOffset, allocatedEnd)} are zeros already
     * in the file, written ahead (preallocation) or made by growing the file to map it. Guarded by the log's append lock; meaningful only for the active segment.
     */
    long allocatedEnd;

    Segment(Path path, long firstLsn, long lastLsn, long endOffset) {
        this.path = path;
        this.firstLsn = firstLsn;
        this.lastLsn = lastLsn;
        this.endOffset = endOffset;
    }

    @Override
    public String toString() {
        return path.getFileName() + "[" + firstLsn + ".." + lastLsn + ", " + endOffset + " bytes]";
    }
}
