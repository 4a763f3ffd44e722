package io.graphwal.wal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.locks.ReentrantLock;

import io.graphwal.io.FileHandle;
import io.graphwal.io.FileIO;

/**
 * The write side of the log's files: frames and checksums records into the batch, writes the batch to the
 * active segment, keeps zeros or a memory mapping ahead of it, seals it at rollover and creates its successor,
 * fsyncs it for the {@link DurabilityTracker}, and deletes old segments at purge. It holds the segment list
 * and the LSN counters that readers see.
 *
 * <p><b>Threads and locks.</b> The log's append lock guards every field here that is not volatile, and every
 * change runs under it: {@link #sync()} and {@link #close} take it themselves, and the log calls the other
 * methods under it, after checking that it is open and not poisoned. Under it a record gets the next LSN and
 * is framed and checksummed into the <em>batch</em>, one reusable buffer of records not yet written. In
 * {@link SyncMode#GROUP} and {@link SyncMode#NONE} the appender then writes the batch (its one record) to the
 * operating system at once; in {@link SyncMode#PER_COMMIT} whoever leads the next fsync ({@link #sync()})
 * takes the append lock just to write the whole batch with a single positional write before fsyncing it, so
 * a group commit costs one write and one fsync and no write overlaps an fsync. Either way the segment's end
 * offset and then the appended LSN are published through volatile writes after the write returns, and the
 * segment list is replaced whole, so readers, status and the flusher read them without a lock. The
 * <em>force lock</em> is this class's own: an fsync holds it, and so do the seal at rollover and the close,
 * both under the append lock (the lock order is append, then force), so an fsync never races the close of
 * the file it syncs. No commit's fsync runs under the append lock; a rollover's seal and creation do.
 *
 * <p><b>Invariants.</b> LSNs are dense and increase by one per record. A record never spans two segments. The
 * appended LSN only ever names whole, written records, and the assigned LSN is the appended one plus the
 * records in the batch. A segment is fsynced and sealed before its successor exists (which makes its last LSN
 * durable), and a new segment's header and its directory entry are fsynced before a record is written into
 * it, so after a power failure only the last segment can hold a torn write. A failed write, fsync, zero-fill,
 * trim, creation or deletion poisons the log through the tracker, and nothing reaches a file after that: the
 * batch dies with the process.
 *
 * <p><b>Preallocation</b> (in {@link SyncMode#PER_COMMIT}, unless {@link WalConfig#preallocate()} is off). An
 * fdatasync of a write that grows the file must also commit the new size and block allocation to the
 * filesystem journal, which on ext4 here made it 1.2 to 2.4 times as slow as an fdatasync of an overwrite. So
 * where commits wait for fsyncs, the active segment is zero-filled ahead of its records,
 * {@value #PREALLOCATION_CHUNK} bytes at a time (under the append lock and without an fsync: the next fsync
 * carries the zeros once), and records then overwrite zeros in place. Group and none modes leave it to the
 * file layer, which zero-fills ahead of mapped writes (below); with system-call writes, zero-filling only
 * slowed their appends (by about 40% here), which never wait for an fsync.
 *
 * <p><b>Memory-mapped segments</b> (in {@link SyncMode#GROUP} and {@link SyncMode#NONE}, on Linux, unless
 * {@link WalConfig#preallocate()} is off). There an append returns once its record is in the operating
 * system, and a positional write system call of a few hundred bytes cost about 2 µs here, most of an append.
 * So the active segment is grown, sparsely, to the segment size and written through a shared memory mapping
 * (see {@link FileHandle#mapForWriting}): writing a batch is a memory copy into the page cache, which a crash
 * of the process cannot lose either, and an fsync of the file makes it durable like any write. The file layer
 * zero-fills ahead of the copies with system calls, so a full disk fails such a write (and poisons the log)
 * instead of faulting a copy. Segments larger than 2 GiB and other platforms keep system-call writes. So does
 * per-commit mode, into its preallocated zeros: there the records that gather during an fsync already go to
 * the file in one system call.
 *
 * <p>Recovery reads an all-zero remainder of a segment as space never written; sealing and a clean close cut
 * the unused zeros off, so closed and sealed segments end at their last record.
 */
final class SegmentWriter {

    /** Past this many batched bytes an append writes the batch itself instead of waiting for a leader. */
    private static final int BATCH_LIMIT = 1024 * 1024;
    /** How far ahead of the records the active segment is zero-filled, at most. */
    static final int PREALLOCATION_CHUNK = 1024 * 1024;

    private final WalConfig config;
    private final FileIO io;
    private final Path directory;
    private final DurabilityTracker durability;
    private final ReentrantLock appendLock;
    private final ReentrantLock forceLock = new ReentrantLock();
    /** Whether the active segment is zero-filled ahead: only where commits wait for fsyncs, see above. */
    private final boolean preallocating;
    /** Whether the active segment is written through a memory mapping: where appends do not wait, see above. */
    private final boolean mapping;

    /** Oldest first; replaced whole under the append lock, read freely. */
    private volatile Segment[] segments;
    private volatile Segment active;
    private volatile long appendedLsn;
    /** The newest LSN handed out: {@link #appendedLsn} plus the records in the batch. */
    private volatile long assignedLsn;
    // Guarded by the append lock.
    /** Framed records not yet written, from the active segment's end offset on; see {@link #append}. */
    private final RecordBatch batch = new RecordBatch();
    private long nextLsn;
    /** The zeros preallocation writes, allocated when first needed. */
    private ByteBuffer zeros;

    /**
     * Opens the last segment {@code recovered} verified for appending, or creates the first one. Called by the
     * opening log before anything else can reach the files.
     *
     * @throws WalException if the first segment cannot be created
     * @throws IOException if the last segment cannot be opened, fsynced or mapped
     */
    SegmentWriter(WalConfig config, LogScan.Result recovered, ReentrantLock appendLock, DurabilityTracker durability)
            throws IOException {
        this.config = config;
        this.io = config.fileIO();
        this.directory = config.directory();
        this.appendLock = appendLock;
        this.durability = durability;
        this.preallocating = config.preallocate() && config.syncMode() == SyncMode.PER_COMMIT;
        this.mapping = config.preallocate() && config.syncMode() != SyncMode.PER_COMMIT;
        this.nextLsn = recovered.nextLsn();
        this.appendedLsn = nextLsn - 1;
        this.assignedLsn = appendedLsn;
        Segment[] existing = recovered.segments().toArray(new Segment[0]);
        if (existing.length == 0) {
            Segment first;
            try {
                first = Segment.create(io, directory, nextLsn, mapping, config.segmentSize());
            } catch (IOException | RuntimeException e) {
                throw new WalException("Cannot open the write-ahead log in " + directory + ": creation of segment "
                        + WalFormat.segmentFileName(nextLsn) + " failed: " + e, e);
            }
            this.segments = new Segment[] {first};
            this.active = first;
        } else {
            Segment last = existing[existing.length - 1];
            last.reopen(io, mapping, config.segmentSize());
            this.segments = existing;
            this.active = last;
        }
    }

    Segment[] segments() {
        return segments;
    }

    /** The newest LSN written to the operating system (and published to readers). */
    long appendedLsn() {
        return appendedLsn;
    }

    /** The newest LSN handed out, written or still batched. */
    long assignedLsn() {
        return assignedLsn;
    }

    /**
     * Gives a record of {@code length} payload bytes the next LSN and frames it into the batch, rolling over
     * first if it does not fit in the active segment; writes the batch at once unless in
     * {@link SyncMode#PER_COMMIT}. Called under the append lock, with the length checked.
     *
     * @return the record's LSN
     * @throws WalPoisonedException if a write, zero-fill, seal or creation fails
     */
    long append(byte type, ByteBuffer payload, int length) {
        int size = WalFormat.RECORD_HEADER_SIZE + length;
        Segment segment = active;
        int batched = batch.bytes();
        if (segment.endOffset() + batched + size > config.segmentSize() && nextLsn > segment.firstLsn()) {
            segment = rollOver(segment);
        } else if (batched > 0 && batched + size > BATCH_LIMIT) {
            writeBatch(); // someone wrote without awaiting durability; keep the batch bounded
        }
        long lsn = nextLsn;
        long offset = segment.endOffset() + batch.bytes();
        batch.add(lsn, WalFormat.unsyncedDistance(lsn, durability.durableLsn()), type, payload, length);
        segment.index().maybeAdd(lsn, offset);
        nextLsn = lsn + 1;
        assignedLsn = lsn;
        if (config.syncMode() != SyncMode.PER_COMMIT) {
            writeBatch();
        }
        return lsn;
    }

    /**
     * Writes the batch to the active segment with one positional write and publishes its records as appended.
     * Called under the append lock. A failed write poisons the log: none of the batch's records is appended.
     */
    private void writeBatch() {
        int bytes = batch.bytes();
        if (bytes == 0) {
            return;
        }
        // After a failed write or fsync nothing more may reach the file (the batch dies with the process).
        durability.checkNotPoisoned();
        Segment segment = active;
        long offset = segment.endOffset();
        long first = appendedLsn + 1;
        long last = assignedLsn;
        if (offset + bytes > segment.allocatedEnd() && preallocating) {
            preallocate(segment, offset + bytes);
        }
        try {
            batch.writeTo(segment, offset);
        } catch (IOException | RuntimeException | InternalError e) {
            // InternalError: a fault in a copy into a mapped segment, raised by the JVM where the writing thread
            // next checks for such errors, which was here (on returning from the write) whenever it was seen.
            throw durability.poison(e, "write of LSN " + (first == last ? first : first + " to " + last) + " to "
                    + segment.path().getFileName());
        }
        segment.extend(last, offset + bytes);
        appendedLsn = last;
    }

    /**
     * The durability tracker's sync action: fsyncs the active segment, covering everything appended, after
     * writing the batch in {@link SyncMode#PER_COMMIT}. Called by the leading thread, holding no lock.
     *
     * @return the LSN the fsync covers
     * @throws WalPoisonedException if the write or the fsync fails
     */
    long sync() {
        if (config.syncMode() == SyncMode.PER_COMMIT) {
            // The records batched since the last fsync go to the file in one write, which no other write
            // overlaps: appenders keep batching in memory meanwhile.
            appendLock.lock();
            try {
                writeBatch();
            } finally {
                appendLock.unlock();
            }
        }
        // Read the LSN before the segment: every record up to it is then either in that segment or in an
        // older one, and older segments were fsynced when they were sealed.
        long target = appendedLsn;
        Segment segment = active;
        forceLock.lock();
        try {
            segment.forceUnlessSealed();
        } catch (IOException | RuntimeException e) {
            // Poison before releasing the force lock, so that a rollover waiting for it sees the poison instead
            // of fsyncing the same file again.
            throw durability.poison(e, "fsync of " + segment.path().getFileName());
        } finally {
            forceLock.unlock();
        }
        return target;
    }

    /** Seals {@code full} and starts its successor. Called under the append lock. */
    private Segment rollOver(Segment full) {
        writeBatch();
        long started = System.nanoTime();
        forceLock.lock();
        try {
            // An fsync that failed while this thread waited for the force lock has poisoned the log; fsyncing
            // again could report pages that the failed fsync dropped as durable.
            durability.checkNotPoisoned();
            String step = "truncation of sealed segment ";
            try {
                full.trim();
                step = "fsync of sealed segment ";
                full.force();
                step = "close of sealed segment ";
                full.close();
            } catch (IOException | RuntimeException e) {
                throw durability.poison(e, step + full.path().getFileName());
            }
        } finally {
            forceLock.unlock();
        }
        durability.markDurable(full.lastLsn(), System.nanoTime() - started);
        Segment next;
        try {
            next = Segment.create(io, directory, nextLsn, mapping, config.segmentSize());
        } catch (IOException | RuntimeException e) {
            throw durability.poison(e, "creation of segment " + WalFormat.segmentFileName(nextLsn));
        }
        Segment[] current = segments;
        Segment[] grown = Arrays.copyOf(current, current.length + 1);
        grown[current.length] = next;
        segments = grown;
        active = next;
        return next;
    }

    /**
     * Zero-fills {@code segment} from its records' end to the chunk boundary past {@code needed} (at most to
     * the segment size), so that the record about to be written, and those after it, overwrite allocated
     * zeros. Called under the append lock. A failed zero write poisons the log like any failed write.
     */
    private void preallocate(Segment segment, long needed) {
        long chunkEnd = (needed / PREALLOCATION_CHUNK + 1) * PREALLOCATION_CHUNK;
        long to = Math.min(chunkEnd, config.segmentSize());
        if (to <= needed) {
            return; // the record reaches the segment size: it extends the file itself
        }
        if (zeros == null) {
            zeros = ByteBuffer.allocateDirect(PREALLOCATION_CHUNK);
        }
        try {
            segment.zeroFill(zeros, to);
        } catch (IOException | RuntimeException e) {
            throw durability.poison(e, "preallocation of " + segment.path().getFileName());
        }
    }

    /**
     * Deletes every segment whose records are all at or below {@code lsn}, oldest first, never the active
     * one, after taking them out of the list. Called under the append lock; the caller then syncs the
     * directory ({@link #syncDirectoryAfterPurge()}) without it.
     *
     * @return how many segments were deleted
     * @throws WalPoisonedException if a deletion fails
     */
    int deleteUpTo(long lsn) {
        Segment[] current = segments;
        int count = 0;
        while (count < current.length - 1 && current[count].lastLsn() <= lsn) {
            count++;
        }
        if (count == 0) {
            return 0;
        }
        Segment[] doomed = Arrays.copyOf(current, count);
        segments = Arrays.copyOfRange(current, count, current.length);
        for (Segment segment : doomed) {
            try {
                io.delete(segment.path());
            } catch (IOException | RuntimeException e) {
                throw durability.poison(e, "deletion of " + segment.path().getFileName());
            }
        }
        return count;
    }

    /**
     * Makes a purge's deletions durable.
     *
     * @throws WalPoisonedException if the directory fsync fails
     */
    void syncDirectoryAfterPurge() {
        try {
            io.syncDirectory(directory);
        } catch (IOException | RuntimeException e) {
            throw durability.poison(e, "directory fsync after purge");
        }
    }

    /**
     * Closes the active segment's file for good, taking the append and force locks. If {@code trim} (only
     * once everything appended is durable), its unused zeros are cut off first and the new length fsynced, so
     * that it ends at its last record, as a sealed segment does.
     *
     * @throws WalPoisonedException if the trim fails; the file is closed anyway, a failure to close it suppressed
     * @throws IOException if closing the file fails
     */
    void close(boolean trim) throws IOException {
        appendLock.lock();
        forceLock.lock();
        try {
            Segment segment = active;
            WalPoisonedException trimFailure = null;
            if (trim && segment.isOpen()) {
                try {
                    if (segment.trim()) {
                        segment.force();
                    }
                } catch (IOException | RuntimeException e) {
                    trimFailure = durability.poison(e, "trim of " + segment.path().getFileName() + " at close");
                }
            }
            try {
                segment.close();
            } catch (IOException | RuntimeException e) {
                if (trimFailure == null) {
                    throw e;
                }
                trimFailure.addSuppressed(e);
            }
            if (trimFailure != null) {
                throw trimFailure;
            }
        } finally {
            forceLock.unlock();
            appendLock.unlock();
        }
    }
}
