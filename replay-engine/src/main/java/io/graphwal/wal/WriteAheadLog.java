package io.graphwal.wal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;

import io.graphwal.io.FileIO;

/**
 * A segmented, checksummed write-ahead log with three sync modes and a poisoned latch.
 *
 * <p>This type reads, flushes and reports; records are added and removed only through the log's one
 * {@link LogWriter}, which goes to whoever opened it ({@link LogWriter#open}, {@link WalRecovery#open()}).
 *
 * <p><b>Parts.</b> {@link #recover} locks the directory and verifies it without changing a byte
 * ({@code LogScan}); {@link WalRecovery#open()} cuts a torn tail ({@code LogRecovery}) and creates this log,
 * which owns the closed flag, the directory lock and the append lock, and hands the work on: a
 * {@code SegmentWriter} frames, batches, writes, rolls over, fsyncs and purges the segment files
 * ({@code Segment}); a {@link DurabilityTracker} owns the durable LSN, the poison and everyone waiting for
 * durability; in group mode a {@code GroupFlusher} thread leads the periodic fsync. Each part's javadoc says
 * how it works; this one says what they promise together.
 *
 * <p><b>Threads and locks.</b> Appenders serialise on the <em>append lock</em>, taken around each append and
 * purge (this log checks under it that it is open and not poisoned) and to close the files. Under it a
 * record gets the next LSN and is framed and checksummed into a batch; in {@link SyncMode#GROUP} and
 * {@link SyncMode#NONE} the appender writes it to the operating system at once, in {@link SyncMode#PER_COMMIT}
 * the leader of the next fsync writes the whole batch in one write just before fsyncing it. Then the
 * segment's end offset and the appended LSN are published, in that order, through volatile writes, so readers
 * and {@link #status()} take no lock. No commit's fsync runs under the append lock. In
 * {@link SyncMode#PER_COMMIT} each appender, after releasing the append lock, waits for its LSN and concurrent
 * appenders elect one leader per fsync; in {@link SyncMode#GROUP} a daemon thread named
 * {@code graphwal-flusher[dir]} leads an fsync every group interval when there is anything new; in
 * {@link SyncMode#NONE} only {@link #flush()}, rollover and {@link #close()} fsync. An fsync takes the
 * <em>force lock</em>, as do sealing a segment at rollover and closing the files (both under the append lock,
 * so the lock order is append, then force), so an fsync never races the close of the file it syncs.
 *
 * <p><b>Invariants.</b> LSNs are dense and increase by one per record. A record never spans two segments. The
 * appended LSN only ever names whole records; the durable LSN never passes the appended LSN and never moves
 * back. A segment is fsynced and sealed before its successor exists, and a new segment's header and its
 * directory entry are fsynced before a record is written into it, so after a power failure only the last
 * segment can hold a torn write. The first failed write, fsync, creation, rename or deletion poisons the log
 * for the rest of the process: every later append and flush throws {@link WalPoisonedException}, nothing is
 * retried, and the durable LSN stays where it was.
 *
 * <p><b>Interrupts.</b> An interrupt that arrives while a thread is inside a {@code FileChannel} call closes
 * the channel, which the log can only treat as an I/O failure. The standard {@link FileIO} clears a pending
 * interrupt around each call (and restores it afterwards) so that only an interrupt landing during the system
 * call itself can do that; do not interrupt threads that are committing.
 */
public final class WriteAheadLog implements AutoCloseable {

    private final WalConfig config;
    private final FileIO io;
    private final Path directory;
    private final WalListener listener;
    private final DirectoryLock lock;
    private final RecoveryReport recovery;
    private final String graphId;
    private final ReentrantLock appendLock = new ReentrantLock();
    private final DurabilityTracker durability;
    private final SegmentWriter writer;
    /** The group-mode flusher; {@code null} in the other modes. */
    private final GroupFlusher flusher;
    /** Set under the append lock, so that an append or purge holding it finishes before the close or sees it. */
    private volatile boolean closed;

    /** Opens a log that {@code recovered} describes, already repaired; called by {@link WalRecovery#open()}. */
    WriteAheadLog(WalConfig config, DirectoryLock lock, LogScan.Result recovered, String graphId) throws IOException {
        this.config = config;
        this.graphId = graphId;
        this.io = config.fileIO();
        this.directory = config.directory();
        this.listener = config.listener();
        this.lock = lock;
        this.recovery = recovered.report();
        // The two need each other: the tracker fsyncs through the writer (syncAppended, once it exists), and
        // the writer poisons and reports seals through the tracker.
        this.durability = new DurabilityTracker(recovered.nextLsn() - 1, this::syncAppended, listener);
        this.writer = new SegmentWriter(config, recovered, appendLock, durability);
        this.flusher = config.syncMode() == SyncMode.GROUP
                ? GroupFlusher.start(directory, config.groupInterval(), durability, writer::appendedLsn)
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
     * Appends one record, as {@link LogWriter#append} documents: in {@link SyncMode#PER_COMMIT} this returns
     * once the record is fsynced; otherwise once it is written to the operating system.
     */
    long append(byte type, ByteBuffer payload) {
        long lsn = write(type, payload);
        if (config.syncMode() == SyncMode.PER_COMMIT) {
            durability.awaitDurable(lsn);
        }
        return lsn;
    }

    /**
     * Hands one record to the log without waiting for an fsync, as {@link LogWriter#write} documents. In
     * {@link SyncMode#PER_COMMIT} the record is batched and written by the next fsync's leader, so it is not
     * {@linkplain #appendedLsn() appended} until then.
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
        appendLock.lock();
        try {
            ensureOpen("append");
            durability.checkNotPoisoned();
            lsn = writer.append(type, payload, length);
        } finally {
            appendLock.unlock();
        }
        listener.appended(lsn, WalFormat.RECORD_HEADER_SIZE + length);
        return lsn;
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
        long assigned = writer.assignedLsn();
        if (lsn > assigned) {
            throw new IllegalArgumentException("LSN " + lsn + " has not been written; the newest is " + assigned);
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
        return config.syncMode() == SyncMode.PER_COMMIT ? writer.assignedLsn() : writer.appendedLsn();
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
        return new WalReader(writer::segments, writer.appendedLsn(), io, config.maxRecordSize(), fromLsn);
    }

    /**
     * Deletes every segment whose records are all at or below {@code lsn}, oldest first, never the active one,
     * as {@link LogWriter#purgeUpTo} documents.
     */
    int purgeUpTo(long lsn) {
        int purged;
        appendLock.lock();
        try {
            ensureOpen("purge");
            durability.checkNotPoisoned();
            purged = writer.deleteUpTo(lsn);
        } finally {
            appendLock.unlock();
        }
        if (purged > 0) {
            // Outside the append lock: appends need not wait for the directory fsync.
            writer.syncDirectoryAfterPurge();
        }
        return purged;
    }

    /**
     * Returns the newest LSN written to the operating system, or 0 if the log holds no record.
     *
     * @return the appended LSN
     */
    public long appendedLsn() {
        return writer.appendedLsn();
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
        return writer.segments()[0].firstLsn();
    }

    /**
     * Returns the id of the history this log holds, kept in the directory's {@code graph.id} file: given when
     * the log was first opened and carried over by a restore or a replica that continues it.
     *
     * @return the graph id, a UUID in lower-case text
     */
    public String graphId() {
        return graphId;
    }

    /**
     * Returns the newest LSN of a sealed segment (every segment but the active one holds only records up to
     * it, and no record will be added to them), or the LSN before the log's first if only the active segment
     * is left.
     *
     * @return the sealed LSN
     */
    public long sealedLsn() {
        Segment[] current = writer.segments();
        return current[current.length - 1].firstLsn() - 1;
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
     * Poisons the log on behalf of the layer above it, as {@link LogWriter#poison} documents. Everything
     * already written is fsynced first (the failure was not one of the log's own I/O, so its written records
     * are sound and acknowledged ones should survive), then the log refuses every later append, flush and
     * checkpoint as for a failed write, until a restart replays what is on disk.
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
        Segment[] current = writer.segments();
        long bytes = 0;
        for (Segment segment : current) {
            bytes += segment.endOffset();
        }
        return new WalStatus(config.syncMode(), directory, writer.appendedLsn(), durability.durableLsn(), current.length,
                bytes, durability.lastSyncAt(), durability.lastSyncNanos(), durability.poison(), recovery);
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
                durability.awaitDurable(writer.assignedLsn());
            }
        } catch (RuntimeException e) {
            failure = e;
        } finally {
            durability.failPending(new WalClosedException("The write-ahead log in " + directory
                    + " was closed before this LSN became durable"));
            try {
                // Everything is durable unless something failed; only then may the unused zeros go.
                writer.close(failure == null && durability.poison() == null);
            } catch (WalPoisonedException e) {
                failure = e; // the trim failed, and nothing had failed before it
            } catch (IOException | RuntimeException e) {
                // Whatever closing the file throws, the directory lock below is still released.
                failure = addFailure(failure, e);
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
        return writer.segments();
    }

    /** The newest LSN handed out, written or still batched. */
    long assignedLsn() {
        return writer.assignedLsn();
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

    /** The durability tracker's sync action. */
    private long syncAppended() {
        return writer.sync();
    }
}
