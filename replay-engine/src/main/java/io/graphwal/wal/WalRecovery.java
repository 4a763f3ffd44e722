package io.graphwal.wal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * A log directory that is locked and verified but not yet changed: the first half of opening a log, for an
 * opener that must check what the log holds before recovery repairs anything.
 *
 * <p>{@link WriteAheadLog#recover} takes the directory lock and verifies every segment by the rules of
 * recovery, refusing corruption at once, but it cuts no torn tail and removes no torn segment: it only
 * {@linkplain #report() reports} what opening would cut. The opener reads the verified records with
 * {@link #reader} and checks whatever else it depends on; {@link #open()} then applies the cut and returns
 * the live log, which takes the lock over. Closing without {@link #open()} releases the lock and leaves
 * every file exactly as it was found, so an open that is refused never destroys the evidence an operator
 * needs to repair it (the lock file aside, whose one line names the last holder). The order matters because
 * a torn tail is judged by what the log alone shows: if something outside it (a snapshot) later shows the
 * open cannot go on, the bytes recovery would have cut may be the only copy of records someone needs.
 *
 * <p>Used by one thread, the opener's. {@link #close()} is idempotent and does nothing after {@link #open()}.
 */
public final class WalRecovery implements AutoCloseable {

    private final WalConfig config;
    private final DirectoryLock lock;
    private final LogScan.Result result;
    private final Segment[] segments;
    private boolean opened;
    private boolean closed;

    /** A recovery of the log that {@code result}, a scan that found no corruption, describes. */
    private WalRecovery(WalConfig config, DirectoryLock lock, LogScan.Result result) {
        this.config = config;
        this.lock = lock;
        this.result = result;
        this.segments = result.segments().toArray(new Segment[0]);
    }

    /**
     * Takes the directory lock and scans the log, as {@link WriteAheadLog#recover} describes: the scan's
     * corruption is thrown, after the lock is released.
     */
    static WalRecovery begin(WalConfig config, long provenDurableLsn, Path evidence) {
        Path directory = config.directory();
        LogScan scan = new LogScan(config.fileIO(), directory, config.maxRecordSize(), config.tornTail(),
                provenDurableLsn, evidence);
        checkDirectory(directory);
        DirectoryLock lock = null;
        try {
            config.fileIO().createDirectories(directory);
            lock = DirectoryLock.acquire(directory);
            LogScan.Result scanned = scan.scan();
            if (scanned.corruption() != null) {
                throw scanned.corruption();
            }
            return new WalRecovery(config, lock, scanned);
        } catch (IOException | RuntimeException e) {
            if (lock != null) {
                try {
                    lock.close();
                } catch (IOException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            if (e instanceof WalException walException) {
                throw walException;
            }
            throw new WalException("Cannot open the write-ahead log in " + directory + ": " + e, e);
        }
    }

    private static void checkDirectory(Path directory) {
        if (Files.isSymbolicLink(directory)) {
            throw new WalException("The GraphWAL directory " + directory + " is a symbolic link; configure the real "
                    + "directory it points to instead, so the lock and fsyncs apply to what is really written");
        }
        if (Files.exists(directory, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(directory)) {
            throw new WalException("The GraphWAL directory " + directory + " exists but is not a directory; "
                    + "point the log at a directory (it is created if missing)");
        }
    }

    /**
     * Returns the oldest LSN the log holds (later than 1 once segments were purged), or {@link #lastLsn()} + 1
     * if it holds no record, as {@link WriteAheadLog#firstLsn()} will once it is open.
     *
     * @return the first LSN
     */
    public long firstLsn() {
        return segments.length == 0 ? result.nextLsn() : segments[0].firstLsn();
    }

    /**
     * Returns the newest verified LSN: the appended LSN of the log once it is open, below any torn tail.
     *
     * @return the last LSN, or {@link #firstLsn()} - 1 if the log holds no record
     */
    public long lastLsn() {
        return result.nextLsn() - 1;
    }

    /**
     * Returns what opening the log will do: the segments and records verified, and the torn tail that
     * {@link #open()} will cut (nothing is cut yet).
     *
     * @return the report that {@link WriteAheadLog#recovery()} returns once the log is open
     */
    public RecoveryReport report() {
        return result.report();
    }

    /**
     * Opens a reader of the verified records from {@code fromLsn} up to {@link #lastLsn()}, checking every
     * checksum again as it reads. It reads files only; close it before {@link #open()}.
     *
     * @param fromLsn the first LSN to read, from {@link #firstLsn()} to {@link #lastLsn()} + 1
     * @return a reader the caller closes
     * @throws WalException if the log holds no segment, {@code fromLsn} is out of range, or this recovery
     *     was opened or closed
     */
    public WalReader reader(long fromLsn) {
        ensurePending("read");
        if (segments.length == 0) {
            throw new WalException("The write-ahead log in " + config.directory() + " has no segment to read");
        }
        return new WalReader(() -> segments, lastLsn(), config.fileIO(), config.maxRecordSize(), fromLsn);
    }

    /**
     * Cuts the torn tail the scan found (if any), syncs the directory and opens the log for appending, which
     * takes over the directory lock. Call it once everything the open depends on has been checked.
     *
     * @return the open log's writer, which the caller must close
     * @throws WalException if a file cannot be changed or opened; the lock is still held, for {@link #close()}
     * @throws IllegalStateException if this recovery was already opened or closed
     */
    public LogWriter open() {
        return new LogWriter(openLog());
    }

    /**
     * Opens a log that holds no record yet so that it continues a history begun elsewhere: its first record
     * gets {@code firstLsn} and its {@linkplain WriteAheadLog#graphId() graph id} is {@code graphId}. For a
     * restore, which places the snapshot at {@code firstLsn - 1} beside it, and for a replica mirroring its
     * leader's LSNs.
     *
     * @param firstLsn the LSN the first record will get, at least 1
     * @param graphId the id of the history it continues (a UUID in lower-case text)
     * @return the open log's writer, which the caller must close
     * @throws WalException if the log already holds records or a different graph id, or cannot be opened
     * @throws IllegalStateException if this recovery was already opened or closed
     */
    public LogWriter openAt(long firstLsn, String graphId) {
        if (firstLsn < 1) {
            throw new IllegalArgumentException("first LSN must be at least 1: " + firstLsn);
        }
        if (lastLsn() >= firstLsn() || segments.length > 1) {
            throw new WalException("The write-ahead log in " + config.directory() + " already holds records up to LSN "
                    + lastLsn() + "; a log continuing another history must start empty");
        }
        for (Segment segment : segments) {
            try {
                // An empty segment left by an earlier open: its name would give the wrong first LSN.
                config.fileIO().delete(segment.path());
            } catch (IOException e) {
                throw new WalException("Cannot open the write-ahead log in " + config.directory() + ": " + e, e);
            }
        }
        LogScan.Result empty = new LogScan.Result(java.util.List.of(), firstLsn, result.report(), null, null);
        return new LogWriter(openLog(empty, graphId));
    }

    /** Like {@link #open()}, for this package's tests, which append through the log itself. */
    WriteAheadLog openLog() {
        return openLog(result, null);
    }

    private WriteAheadLog openLog(LogScan.Result result, String graphId) {
        if (opened || closed) {
            throw new IllegalStateException("This recovery of " + config.directory() + " was already "
                    + (opened ? "opened" : "closed"));
        }
        try {
            LogRecovery.repair(config.fileIO(), config.directory(), result);
            String id = GraphId.loadOrCreate(config.fileIO(), config.directory(), graphId);
            WriteAheadLog wal = new WriteAheadLog(config, lock, result, id);
            opened = true;
            return wal;
        } catch (IOException e) {
            throw new WalException("Cannot open the write-ahead log in " + config.directory() + ": " + e, e);
        }
    }

    /**
     * Releases the directory lock unless {@link #open()} handed it to the log, changing no file.
     *
     * @throws WalException if the lock cannot be released
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (!opened) {
            try {
                lock.close();
            } catch (IOException e) {
                throw new WalException("Cannot release the lock of " + config.directory() + ": " + e, e);
            }
        }
    }

    private void ensurePending(String operation) {
        if (opened || closed) {
            throw new WalException("Cannot " + operation + " through this recovery of " + config.directory()
                    + ": it was " + (opened ? "opened; use the log" : "closed"));
        }
    }
}
