package io.graphwal.wal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;

import io.graphwal.io.FileHandle;
import io.graphwal.io.FileIO;

/**
 * A segmented, checksummed write-ahead log with three sync modes and a poisoned latch.
 *
 * <p>This type reads, flushes and reports; records are added and removed only through the log's one
 * {@link LogWriter}, which goes to whoever opened it ({@link LogWriter#open}, {@link WalRecovery#open()}).
 *
 * <p><b>Threads and locks.</b> Appenders serialise on the <em>append lock</em>, under which a record gets
 * the next LSN and is framed and checksummed into the <em>batch</em>, one reusable buffer of records not yet
 * written. In {@link SyncMode#GROUP} and {@link SyncMode#NONE} the appender then writes the batch (its one
 * record) to the operating system at once; in {@link SyncMode#PER_COMMIT} whoever leads the next fsync
 * writes the whole batch with a single positional write just before fsyncing it, so a group commit costs
 * one write and one fsync and no write overlaps an fsync. Either way the segment's end offset and then the
 * appended LSN are published through volatile writes after the write returns. Nobody holds the append lock
 * across an fsync. Durability is the job of a {@link DurabilityTracker}: in {@link SyncMode#PER_COMMIT} each
 * appender, after releasing the append lock, waits for its LSN and concurrent appenders elect one leader per
 * fsync; in {@link SyncMode#GROUP} a daemon thread named
 * {@code graphwal-flusher[dir]} leads an fsync every group interval when there is anything new; in
 * {@link SyncMode#NONE} only {@link #flush()}, rollover and {@link #close()} fsync. An fsync takes the
 * <em>force lock</em>, as does sealing a segment at rollover (under the append lock, so the lock order is
 * append, then force), so an fsync never races the close of the file it syncs.
 *
 * <p><b>Invariants.</b> LSNs are dense and increase by one per record. A record never spans two segments. The
 * appended LSN only ever names whole records; the durable LSN never passes the appended LSN and never moves
 * back. A segment is fsynced and sealed before its successor exists, and a new segment's header and its
 * directory entry are fsynced before a record is written into it, so after a power failure only the last
 * segment can hold a torn write. The first failed write, fsync, creation, rename or deletion poisons the log
 * for the rest of the process: every later append and flush throws {@link WalPoisonedException}, nothing is
 * retried, and the durable LSN stays where it was.
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
 *
 * <p><b>Interrupts.</b> An interrupt that arrives while a thread is inside a {@code FileChannel} call closes
 * the channel, which the log can only treat as an I/O failure. The standard {@link FileIO} clears a pending
 * interrupt around each call (and restores it afterwards) so that only an interrupt landing during the system
 * call itself can do that; do not interrupt threads that are committing.
 */
public final class WriteAheadLog implements AutoCloseable {

    /** Past this many batched bytes an append writes the batch itself instead of waiting for a leader. */
    private static final int BATCH_LIMIT = 1024 * 1024;
    /** How far ahead of the records the active segment is zero-filled, at most. */
    static final int PREALLOCATION_CHUNK = 1024 * 1024;

    private final WalConfig config;
    private final FileIO io;
    private final Path directory;
    private final WalListener listener;
    private final DirectoryLock lock;
    private final RecoveryReport recovery;
    private final DurabilityTracker durability;
    private final ReentrantLock appendLock = new ReentrantLock();
    private final ReentrantLock forceLock = new ReentrantLock();
    /** The group-mode flusher; {@code null} in the other modes. */
    private final GroupFlusher flusher;
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
    private volatile boolean closed;
    // Guarded by appendLock.
    private long nextLsn;
    /** Framed records not yet written, from the active segment's end offset on; see {@link #write}. */
    private final RecordBatch batch = new RecordBatch();
    private ByteBuffer zeros;

    /** Opens a log that {@code recovered} describes, already repaired; called by {@link WalRecovery#open()}. */
    WriteAheadLog(WalConfig config, DirectoryLock lock, LogScan.Result recovered) throws IOException {
        this.config = config;
        this.io = config.fileIO();
        this.directory = config.directory();
        this.listener = config.listener();
        this.lock = lock;
        this.recovery = recovered.report();
        this.preallocating = config.preallocate() && config.syncMode() == SyncMode.PER_COMMIT;
        this.mapping = config.preallocate() && config.syncMode() != SyncMode.PER_COMMIT;
        this.nextLsn = recovered.nextLsn();
        this.appendedLsn = nextLsn - 1;
        this.assignedLsn = appendedLsn;
        Segment[] existing = recovered.segments().toArray(new Segment[0]);
        if (existing.length == 0) {
            this.segments = new Segment[0];
            Segment first = createSegment(nextLsn);
            this.segments = new Segment[] {first};
            this.active = first;
        } else {
            Segment last = existing[existing.length - 1];
            last.reopen(io, mapping, config.segmentSize());
            this.segments = existing;
            this.active = last;
        }
        this.durability = new DurabilityTracker(appendedLsn, this::syncAppended, listener);
        this.flusher = config.syncMode() == SyncMode.GROUP
                ? GroupFlusher.start(directory, config.groupInterval(), durability, this::appendedLsn)
                : null;
    }

    /** Opens the log as {@link LogWriter#open} does, for this package (and its tests), which append directly. */
    static WriteAheadLog open(WalConfig config) {
        try (WalRecovery recovery = recover(config, 0, null)) {
            return recovery.openLog();
        }
    }

    /**
     * Takes the directory lock and verifies every segment like {@link #open}, but changes no file: a torn
     * tail is reported, and cut only by {@link WalRecovery#open()}, so that the caller can check what else
     * the open depends on first and refuse with every byte still in place.
     *
     * <p>{@code provenDurableLsn} is what the caller knows from outside the log: every LSN up to it was
     * durable, as the file {@code evidence} proves (a snapshot at LSN L is written only after the log was
     * fsynced up to L). Damage at or below it cannot be a torn tail, and a log ending below it is missing
     * records, so both are refused as corruption naming {@code evidence}, whatever the torn-tail policy.
     *
     * @param config the configuration
     * @param provenDurableLsn an LSN proven durable from outside the log, or 0 if none is
     * @param evidence the file that proves it, named in refusals; {@code null} if {@code provenDurableLsn} is 0
     * @return the verified log, which the caller opens or closes
     * @throws WalLockedException if another log holds the directory
     * @throws WalCorruptionException if the files are damaged beyond a torn tail, or hold less than proven
     * @throws WalException if the directory is unusable or an I/O error occurs
     * @throws IllegalArgumentException if {@code provenDurableLsn} is negative, or positive without evidence
     */
    public static WalRecovery recover(WalConfig config, long provenDurableLsn, Path evidence) {
        return WalRecovery.begin(config, provenDurableLsn, evidence);
    }

    /**
     * Appends one record. In {@link SyncMode#PER_COMMIT} this returns once the record is fsynced; otherwise
     * once it is written to the operating system.
     *
     * @param type the record type, any value but 0
     * @param payload the bytes to log; its position advances to its limit
     * @return the record's LSN
     * @throws WalRecordTooLargeException if the payload exceeds the maximum record size (nothing is written)
     * @throws WalPoisonedException if the log is poisoned, or this append's write or fsync fails
     * @throws WalClosedException if the log is closed
     */
    long append(byte type, ByteBuffer payload) {
        long lsn = write(type, payload);
        if (config.syncMode() == SyncMode.PER_COMMIT) {
            durability.awaitDurable(lsn);
        }
        return lsn;
    }

    /**
     * Hands one record to the log and returns without waiting for an fsync, whatever the sync mode. In
     * {@link SyncMode#GROUP} and {@link SyncMode#NONE} the record is in the operating system on return; in
     * {@link SyncMode#PER_COMMIT} it is batched and written by the next fsync's leader (so it is not
     * {@linkplain #appendedLsn() appended} until then). For callers that must do something between writing
     * and awaiting durability, such as releasing a lock so that concurrent committers can share the next
     * fsync; follow with {@link #awaitDurable(long)}.
     *
     * @param type the record type, any value but 0
     * @param payload the bytes to log; its position advances to its limit
     * @return the record's LSN
     * @throws WalRecordTooLargeException if the payload exceeds the maximum record size (nothing is written)
     * @throws WalPoisonedException if the log is poisoned, or this write fails
     * @throws WalClosedException if the log is closed
     */
    long write(byte type, ByteBuffer payload) {
        int length = payload.remaining();
        if (length > config.maxRecordSize()) {
            throw new WalRecordTooLargeException(length, config.maxRecordSize());
        }
        if (type == 0) {
            throw new IllegalArgumentException("record type 0 is reserved");
        }
        long lsn;
        int size = WalFormat.RECORD_HEADER_SIZE + length;
        appendLock.lock();
        try {
            ensureOpen("append");
            durability.checkNotPoisoned();
            Segment segment = active;
            int batched = batch.bytes();
            if (segment.endOffset() + batched + size > config.segmentSize() && nextLsn > segment.firstLsn()) {
                segment = rollOver(segment);
            } else if (batched > 0 && batched + size > BATCH_LIMIT) {
                writeBatch(); // someone wrote without awaiting durability; keep the batch bounded
            }
            lsn = nextLsn;
            long offset = segment.endOffset() + batch.bytes();
            batch.add(lsn, WalFormat.unsyncedDistance(lsn, durability.durableLsn()), type, payload, length);
            segment.index().maybeAdd(lsn, offset);
            nextLsn = lsn + 1;
            assignedLsn = lsn;
            if (config.syncMode() != SyncMode.PER_COMMIT) {
                writeBatch();
            }
        } finally {
            appendLock.unlock();
        }
        listener.appended(lsn, size);
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
     * Blocks until {@code lsn} is durable, leading or sharing an fsync as in {@link SyncMode#PER_COMMIT},
     * whatever the configured mode.
     *
     * @param lsn an LSN returned by {@link LogWriter#write} or {@link LogWriter#append}
     * @throws WalPoisonedException if the log is or becomes poisoned first
     * @throws IllegalArgumentException if {@code lsn} has not been written
     */
    public void awaitDurable(long lsn) {
        if (lsn > assignedLsn) {
            throw new IllegalArgumentException("LSN " + lsn + " has not been written; the newest is " + assignedLsn);
        }
        durability.awaitDurable(lsn);
    }

    /**
     * Returns a future completed with {@code lsn} once that LSN is durable: at once in
     * {@link SyncMode#PER_COMMIT} after {@link LogWriter#append} returned, after the next flusher pass in
     * {@link SyncMode#GROUP}, and after the next {@link #flush()}, rollover or close in {@link SyncMode#NONE}.
     * It completes exceptionally with {@link WalPoisonedException} if the log is poisoned first, or with
     * {@link WalClosedException} if the log is closed without making it durable.
     *
     * @param lsn an LSN returned by {@link LogWriter#append}
     * @return the future
     */
    public CompletableFuture<Long> durable(long lsn) {
        return durability.whenDurable(lsn);
    }

    /**
     * Fsyncs everything appended so far, sharing an fsync already in progress.
     *
     * @return the durable LSN afterwards
     * @throws WalPoisonedException if the log is poisoned or the fsync fails
     * @throws WalClosedException if the log is closed
     */
    public long flush() {
        ensureOpen("flush");
        durability.checkNotPoisoned();
        durability.awaitDurable(flushTarget());
        return durability.durableLsn();
    }

    /**
     * What a flush must cover. In {@link SyncMode#PER_COMMIT} the fsync's leader writes every batched record
     * first, so every LSN handed out is covered. In the other modes an LSN is handed out under the append lock
     * a moment before its write returns and publishes it as appended; an append still inside that write has
     * not been acknowledged, and an fsync cannot cover bytes not yet written, so the flush covers what is
     * appended.
     */
    private long flushTarget() {
        return config.syncMode() == SyncMode.PER_COMMIT ? assignedLsn : appendedLsn;
    }

    /**
     * Opens a reader positioned at {@code fromLsn}, which reads every record up to the newest appended one
     * and can be resumed later to read records appended since.
     *
     * @param fromLsn the first LSN to read, from the oldest retained LSN up to {@link #appendedLsn()} + 1
     * @return a reader the caller closes
     * @throws WalException if {@code fromLsn} has been purged or not yet been reached
     */
    public WalReader reader(long fromLsn) {
        ensureOpen("read");
        // The appended LSN is read before the segment list, which therefore holds every unpurged LSN up to it.
        return new WalReader(this::segments, appendedLsn, io, config.maxRecordSize(), fromLsn);
    }

    /**
     * Deletes every segment whose records are all at or below {@code lsn}, oldest first. The active segment
     * is never deleted.
     *
     * @param lsn the highest LSN that is no longer needed (typically a durable snapshot's LSN)
     * @return how many segments were deleted
     * @throws WalPoisonedException if a deletion or the directory fsync fails (the log is then poisoned)
     */
    int purgeUpTo(long lsn) {
        Segment[] doomed;
        appendLock.lock();
        try {
            ensureOpen("purge");
            durability.checkNotPoisoned();
            Segment[] current = segments;
            int count = 0;
            while (count < current.length - 1 && current[count].lastLsn() <= lsn) {
                count++;
            }
            if (count == 0) {
                return 0;
            }
            doomed = Arrays.copyOf(current, count);
            segments = Arrays.copyOfRange(current, count, current.length);
            for (Segment segment : doomed) {
                try {
                    io.delete(segment.path());
                } catch (IOException | RuntimeException e) {
                    throw durability.poison(e, "deletion of " + segment.path().getFileName());
                }
            }
        } finally {
            appendLock.unlock();
        }
        try {
            io.syncDirectory(directory);
        } catch (IOException | RuntimeException e) {
            throw durability.poison(e, "directory fsync after purge");
        }
        return doomed.length;
    }

    /**
     * Returns the newest LSN written to the operating system, or 0 if the log holds no record.
     *
     * @return the appended LSN
     */
    public long appendedLsn() {
        return appendedLsn;
    }

    /**
     * Returns the newest LSN known to be fsynced, or 0.
     *
     * @return the durable LSN
     */
    public long durableLsn() {
        return durability.durableLsn();
    }

    /**
     * Returns the oldest LSN still held by the segments (after purges), or {@link #appendedLsn()} + 1 if
     * the log holds no record.
     *
     * @return the first available LSN
     */
    public long firstLsn() {
        return segments[0].firstLsn();
    }

    /**
     * Returns what opening the log found and did.
     *
     * @return the recovery report
     */
    public RecoveryReport recovery() {
        return recovery;
    }

    /**
     * Returns the configuration the log was opened with.
     *
     * @return the configuration
     */
    public WalConfig config() {
        return config;
    }

    /**
     * Returns the poison if the log is poisoned.
     *
     * @return the first failure, or {@code null}
     */
    public WalPoison poison() {
        return durability.poison();
    }

    /**
     * Poisons the log on behalf of the layer above it, for a failure there after which no later commit may
     * be acknowledged: typically a record that was logged but could not be applied to the graph. Everything
     * already written is fsynced first (the failure was not one of the log's own I/O, so its written records
     * are sound and acknowledged ones should survive), then the log refuses every later append, flush and
     * checkpoint as for a failed write, until a restart replays what is on disk.
     *
     * @param operation what failed, for the status and messages, e.g. "apply of LSN 12 to the graph"
     * @param cause the failure
     * @return the exception describing the poison, for the caller to throw or to attach
     */
    WalPoisonedException poison(String operation, Throwable cause) {
        if (durability.poison() == null && !closed) {
            try {
                flush();
            } catch (RuntimeException e) {
                cause.addSuppressed(e);
            }
        }
        return durability.poison(cause, operation);
    }

    /**
     * Returns a status snapshot for operators.
     *
     * @return the status
     */
    public WalStatus status() {
        Segment[] current = segments;
        long bytes = 0;
        for (Segment segment : current) {
            bytes += segment.endOffset();
        }
        return new WalStatus(config.syncMode(), directory, appendedLsn, durability.durableLsn(), current.length, bytes,
                durability.lastSyncAt(), durability.lastSyncNanos(), durability.poison(), recovery);
    }

    /**
     * Closes the log: refuses new appends, stops and joins the flusher, fsyncs what was appended (unless the
     * log is poisoned: a failed fsync is never retried), closes the files and releases the directory lock.
     * Idempotent.
     *
     * @throws WalPoisonedException if the final fsync fails; the files are closed and the lock released anyway
     */
    @Override
    public void close() {
        appendLock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
        } finally {
            appendLock.unlock();
        }
        RuntimeException failure = null;
        try {
            if (flusher != null) {
                flusher.stop();
            }
            if (durability.poison() == null) {
                durability.awaitDurable(assignedLsn);
            }
        } catch (RuntimeException e) {
            failure = e;
        } finally {
            durability.failPending(new WalClosedException("The write-ahead log in " + directory
                    + " was closed before this LSN became durable"));
            appendLock.lock();
            forceLock.lock();
            try {
                Segment segment = active;
                if (segment.isOpen() && failure == null && durability.poison() == null) {
                    // Everything is durable; leave a file that ends at its last record, as a sealed one does.
                    try {
                        if (segment.trim()) {
                            segment.force();
                        }
                    } catch (IOException | RuntimeException e) {
                        failure = durability.poison(e, "trim of " + segment.path().getFileName() + " at close");
                    }
                }
                segment.close();
            } catch (IOException | RuntimeException e) {
                // Whatever closing the file throws, the directory lock below is still released.
                failure = addFailure(failure, e);
            } finally {
                forceLock.unlock();
                appendLock.unlock();
            }
            try {
                lock.close();
            } catch (IOException e) {
                failure = addFailure(failure, e);
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private static RuntimeException addFailure(RuntimeException failure, Exception e) {
        if (failure == null) {
            return new WalException("Closing the write-ahead log failed: " + e, e);
        }
        failure.addSuppressed(e);
        return failure;
    }

    Segment[] segments() {
        return segments;
    }

    /** The newest LSN handed out, written or still batched. */
    long assignedLsn() {
        return assignedLsn;
    }

    FileIO io() {
        return io;
    }

    boolean isClosed() {
        return closed;
    }

    private void ensureOpen(String operation) {
        if (closed) {
            throw new WalClosedException("Cannot " + operation + ": the write-ahead log in " + directory
                    + " is closed");
        }
    }

    /** The durability tracker's sync action: fsyncs the active segment, covering everything appended. */
    private long syncAppended() throws IOException {
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
            try {
                segment.forceUnlessSealed();
            } catch (IOException | RuntimeException e) {
                // Poison before releasing the force lock, so that a rollover waiting for it sees the poison
                // instead of fsyncing the same file again.
                throw durability.poison(e, "fsync of " + segment.path().getFileName());
            }
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
        Segment next = createSegment(nextLsn);
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

    /** Creates the segment that starts at {@code firstLsn}: at open a failure refuses it, later it poisons. */
    private Segment createSegment(long firstLsn) {
        try {
            return Segment.create(io, directory, firstLsn, mapping, config.segmentSize());
        } catch (IOException | RuntimeException e) {
            if (durability == null) {
                throw new WalException("Cannot open the write-ahead log in " + directory + ": creation of segment "
                        + WalFormat.segmentFileName(firstLsn) + " failed: " + e, e);
            }
            throw durability.poison(e, "creation of segment " + WalFormat.segmentFileName(firstLsn));
        }
    }
}
