package io.graphwal.wal;

import java.nio.ByteBuffer;

/**
 * The right to add records to an open log and to remove them: whoever opens a log for writing gets its only
 * writer, and nobody else can append or purge.
 *
 * <p>Everyone else sees the {@link WriteAheadLog} ({@link #log()}), which reads, flushes and reports but can
 * neither add nor remove a record. That split is what keeps the graph's restart safe: a graph database opens
 * its log, keeps the writer to itself and hands out only the log, so no call an application makes on the log
 * (the Spring bean included) can append a record that replay would refuse, or purge the log from under a
 * snapshot that still needs it.
 *
 * <p>Thread-safe, like the log it writes to.
 */
public final class LogWriter implements AutoCloseable {

    private final WriteAheadLog log;

    LogWriter(WriteAheadLog log) {
        this.log = log;
    }

    /**
     * Opens (creating if needed) the log in {@code config.directory()} for writing: takes the directory lock,
     * verifies every segment, cuts a torn tail if the policy allows, and starts the flusher in group mode.
     *
     * @param config the configuration
     * @return the log's writer, which the caller must close
     * @throws WalLockedException if another log holds the directory
     * @throws WalCorruptionException if the files are damaged beyond a torn tail
     * @throws WalException if the directory is unusable or an I/O error occurs
     */
    public static LogWriter open(WalConfig config) {
        return new LogWriter(WriteAheadLog.open(config));
    }

    /**
     * Returns the log this writer writes to, for reading, flushing and status.
     *
     * @return the log
     */
    public WriteAheadLog log() {
        return log;
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
    public long append(byte type, ByteBuffer payload) {
        return log.append(type, payload);
    }

    /**
     * Hands one record to the log and returns without waiting for an fsync, whatever the sync mode. In
     * {@link SyncMode#GROUP} and {@link SyncMode#NONE} the record is in the operating system on return; in
     * {@link SyncMode#PER_COMMIT} it is batched and written by the next fsync's leader. For callers that must
     * do something between writing and awaiting durability, such as releasing a lock so that concurrent
     * committers share the next fsync; follow with {@link WriteAheadLog#awaitDurable(long)}.
     *
     * @param type the record type, any value but 0
     * @param payload the bytes to log; its position advances to its limit
     * @return the record's LSN
     * @throws WalRecordTooLargeException if the payload exceeds the maximum record size (nothing is written)
     * @throws WalPoisonedException if the log is poisoned, or this write fails
     * @throws WalClosedException if the log is closed
     */
    public long write(byte type, ByteBuffer payload) {
        return log.write(type, payload);
    }

    /**
     * Deletes every segment whose records are all at or below {@code lsn}, oldest first. The active segment
     * is never deleted.
     *
     * @param lsn the highest LSN that is no longer needed (typically a durable snapshot's LSN)
     * @return how many segments were deleted
     * @throws WalPoisonedException if a deletion or the directory fsync fails (the log is then poisoned)
     */
    public int purgeUpTo(long lsn) {
        return log.purgeUpTo(lsn);
    }

    /**
     * Poisons the log on behalf of the layer above it, for a failure there after which no later record may
     * be acknowledged: typically one that was logged but could not be applied. Everything already written is
     * fsynced first (the failure was not one of the log's own I/O, so acknowledged records should survive),
     * then the log refuses every later append, flush and purge as after a failed write, until a restart.
     *
     * @param operation what failed, for the status and messages, e.g. "apply of LSN 12 to the graph"
     * @param cause the failure
     * @return the exception describing the poison, for the caller to throw or to attach
     */
    public WalPoisonedException poison(String operation, Throwable cause) {
        return log.poison(operation, cause);
    }

    /**
     * Closes the log; see {@link WriteAheadLog#close()}.
     *
     * @throws WalPoisonedException if the final fsync fails; the files are closed and the lock released anyway
     */
    @Override
    public void close() {
        log.close();
    }
}
