package io.graphwal.wal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;

import io.graphwal.io.FileHandle;
import io.graphwal.io.FileIO;

/**
 * One segment file: its name, LSN range, the length of its valid data and its offset index, and, while it is
 * the active segment, the handle it is written through and the zeros already in the file past its records.
 *
 * <p><b>Life.</b> A segment is either verified by the scan at open (no handle) or {@linkplain #create created};
 * the active one holds its handle, from creation or from {@linkplain #reopen reopening} the last verified one,
 * before the log publishes it. At rollover it is trimmed, fsynced and {@linkplain #close() closed}, which
 * seals it: from then on nothing writes or fsyncs it again, and its extent is final. Older segments are only
 * read, and deleted by purge.
 *
 * <p><b>Threads.</b> {@link #lastLsn()} and {@link #endOffset()} change only through {@link #extend}, called by
 * the appender under the log's append lock (or by the scan before the segment is shared), and are read
 * freely: they are volatile, and the log publishes the end offset before its appended LSN, so a reader that
 * sees an appended LSN also sees the bytes that hold it. The handle and the zeros ahead belong to the
 * appender, under the append lock; an fsync ({@link #forceUnlessSealed()}) and the seal ({@link #close()})
 * also hold the writer's force lock, and the seal happens before the successor is published, so no fsync can
 * race the close of the file it syncs.
 */
final class Segment {

    private final Path path;
    private final long firstLsn;
    private final OffsetIndex index = new OffsetIndex();
    private volatile long lastLsn;
    private volatile long endOffset;
    /** Open for appending while this is the active segment; {@code null} once sealed or for old segments. */
    private FileHandle file;
    /** Guarded by the writer's force lock. */
    private boolean sealed;
    /**
     * Where the file's zeros past the records end: bytes in {@code [endOffset, allocatedEnd)} are zeros already
     * in the file, written ahead (preallocation) or made by growing the file to map it. Guarded by the log's
     * append lock; meaningful only for the active segment.
     */
    private long allocatedEnd;

    Segment(Path path, long firstLsn, long lastLsn, long endOffset) {
        this.path = path;
        this.firstLsn = firstLsn;
        this.lastLsn = lastLsn;
        this.endOffset = endOffset;
    }

    Path path() {
        return path;
    }

    long firstLsn() {
        return firstLsn;
    }

    /** The newest LSN whose record is in this segment; {@code firstLsn() - 1} while it holds none. */
    long lastLsn() {
        return lastLsn;
    }

    /** Where the segment's valid data (header and whole records) ends. */
    long endOffset() {
        return endOffset;
    }

    OffsetIndex index() {
        return index;
    }

    /** Publishes that the segment's records now run up to {@code lastLsn} and end at {@code endOffset}. */
    void extend(long lastLsn, long endOffset) {
        this.lastLsn = lastLsn;
        this.endOffset = endOffset;
    }

    /**
     * Creates the file of the segment that starts at {@code firstLsn}, with its header and directory entry
     * durable before anything is written to it, and returns it attached. If {@code map}, the file is first
     * grown to {@code size} and mapped for writing where the file layer can, before the fsync, so that its
     * full length is durable with its header.
     *
     * @throws IOException if a step fails; the file is closed then, and left for recovery to judge
     */
    static Segment create(FileIO io, Path directory, long firstLsn, boolean map, long size) throws IOException {
        Path path = directory.resolve(WalFormat.segmentFileName(firstLsn));
        FileHandle file = io.open(path, FileIO.OpenMode.CREATE_NEW);
        long allocatedEnd;
        try {
            file.write(WalFormat.encodeSegmentHeader(firstLsn), 0);
            allocatedEnd = map && file.mapForWriting(size) ? size : WalFormat.SEGMENT_HEADER_SIZE;
            file.force();
            io.syncDirectory(directory);
        } catch (IOException | RuntimeException e) {
            closeAfterFailure(file, e);
            throw e;
        }
        Segment segment = new Segment(path, firstLsn, firstLsn - 1, WalFormat.SEGMENT_HEADER_SIZE);
        segment.attach(file, allocatedEnd);
        return segment;
    }

    /**
     * Opens this verified segment, the last one a previous run wrote, for appending. If {@code map} and it has
     * room left, it is grown to {@code size} and mapped for writing where the file layer can.
     *
     * @throws IOException if a step fails; the file is closed then
     */
    void reopen(FileIO io, boolean map, long size) throws IOException {
        FileHandle handle = io.open(path, FileIO.OpenMode.READ_WRITE);
        // Whatever a crashed predecessor left in the page cache becomes durable here, so the durable LSN
        // reported from now on is true.
        try {
            handle.force();
            // Recovery left either nothing or verified zeros (an earlier preallocation or mapping) after the
            // last record.
            long allocated = handle.size();
            if (map && endOffset < size) {
                long mapped = Math.max(allocated, size);
                allocated = handle.mapForWriting(mapped) ? mapped : allocated;
            }
            attach(handle, allocated);
        } catch (IOException | RuntimeException e) {
            closeAfterFailure(handle, e);
            throw e;
        }
    }

    private static void closeAfterFailure(FileHandle file, Exception failure) {
        try {
            file.close();
        } catch (IOException suppressed) {
            failure.addSuppressed(suppressed);
        }
    }

    /** Makes this the segment appends go to; before the segment is published as active. */
    private void attach(FileHandle file, long allocatedEnd) {
        this.file = file;
        this.allocatedEnd = allocatedEnd;
    }

    /** Whether the segment still has its handle: it is the active one and not yet closed. */
    boolean isOpen() {
        return file != null;
    }

    long allocatedEnd() {
        return allocatedEnd;
    }

    /** Writes {@code bytes} at {@code offset}; the caller publishes them with {@link #extend} once written. */
    void write(ByteBuffer bytes, long offset) throws IOException {
        file.write(bytes, offset);
    }

    /**
     * Writes zeros from where the records or the zeros already there end up to {@code to}, {@code zeros} (a
     * buffer of zeros) at a time. The zeros count as allocated only once all are written.
     */
    void zeroFill(ByteBuffer zeros, long to) throws IOException {
        for (long at = Math.max(allocatedEnd, endOffset); at < to; at += zeros.capacity()) {
            zeros.clear().limit((int) Math.min(zeros.capacity(), to - at));
            file.write(zeros, at);
        }
        allocatedEnd = to;
    }

    /**
     * Cuts the unused zeros off a segment that takes no more records, so that it ends at its last record.
     *
     * @return whether the file was truncated (and so needs an fsync for the new size to be durable)
     */
    boolean trim() throws IOException {
        if (allocatedEnd <= endOffset) {
            return false;
        }
        file.truncate(endOffset);
        allocatedEnd = endOffset;
        return true;
    }

    /** Fsyncs the file; the caller holds the force lock. */
    void force() throws IOException {
        file.force();
    }

    /**
     * Fsyncs the file unless it was sealed, which fsynced it for the last time. The caller holds the force
     * lock, which the seal holds too, so the handle cannot be closed during the fsync.
     */
    void forceUnlessSealed() throws IOException {
        if (!sealed) {
            file.force();
        }
    }

    /**
     * Closes the handle (if still open) and seals the segment. The caller holds the append and force locks.
     * If closing fails the segment stays unsealed, with its handle; the log is poisoned or closing by then.
     */
    void close() throws IOException {
        if (file != null) {
            file.close();
            file = null;
        }
        sealed = true;
    }

    @Override
    public String toString() {
        return path.getFileName() + "[" + firstLsn + ".." + lastLsn + ", " + endOffset + " bytes]";
    }
}
