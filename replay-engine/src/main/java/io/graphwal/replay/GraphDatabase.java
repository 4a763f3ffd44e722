package io.graphwal.replay;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.graphwal.archive.ArchiveConfig;
import io.graphwal.archive.ArchiveRestore;
import io.graphwal.archive.Archiver;
import io.graphwal.concurrent.Threads;
import io.graphwal.graph.Commit;
import io.graphwal.graph.Graph;
import io.graphwal.graph.GraphStore;
import io.graphwal.graph.GraphValidationException;
import io.graphwal.graph.GraphView;
import io.graphwal.graph.MalformedDataException;
import io.graphwal.graph.MutationCodec;
import io.graphwal.graph.StoreImage;
import io.graphwal.graph.Transaction;
import io.graphwal.io.FileIO;
import io.graphwal.snapshot.GraphSnapshots;
import io.graphwal.snapshot.SnapshotFiles;
import io.graphwal.wal.LogWriter;
import io.graphwal.wal.WalClosedException;
import io.graphwal.wal.WalException;
import io.graphwal.wal.WalPoison;
import io.graphwal.wal.WalPoisonedException;
import io.graphwal.wal.WalReader;
import io.graphwal.wal.WalRecovery;
import io.graphwal.wal.WriteAheadLog;

/**
 * A durable graph: opening it replays the newest readable snapshot plus the WAL after it; writing goes
 * through {@link #commit}; checkpoints write snapshots and purge the log.
 *
 * <p><b>Checkpoints.</b> A checkpoint freezes the store at its last applied LSN L (a copy-on-write image,
 * see {@link StoreImage}, taken under the store lock in time proportional to the number of column chunks),
 * makes the log durable up to L, streams the image to {@code snapshot-L.snap} (temporary file, fsync, rename,
 * directory fsync) while commits go on, reads it back by every rule a load applies (see
 * {@link StoreImage#verify}), deletes snapshots beyond the retained number, and purges WAL segments
 * wholly at or below the oldest retained snapshot. Commits are held only while the image is frozen and
 * thawed, and pay one chunk copy the first time they touch a frozen chunk. Checkpoints run one at a time:
 * on demand through {@link #checkpoint()}, and every {@code snapshotEveryRecords} commits on a daemon thread
 * named {@code graphwal-checkpoint[dir]}, which {@link #close()} stops and joins.
 *
 * <p><b>Holds.</b> Whoever reads the log behind the graph at its own pace (the archiver, a change-feed
 * subscriber) takes a {@link LogHold}; purge never deletes a segment holding an LSN that an open hold still
 * needs, so a reader that falls behind delays purge instead of finding a gap.
 *
 * <p><b>Archive.</b> With an archive configured, an {@link Archiver} ships the log and the snapshots on its
 * own thread and holds the log until it has stored it; checkpoints wake it. With {@code restoreIfEmpty}, a
 * directory holding no segment and no snapshot is first restored from the archive's newest state.
 *
 * <p><b>Replica.</b> Opened with {@link DatabaseConfig#withReplica}, the database is a read replica: its
 * {@link #commit} refuses, and {@link #applyReplicated} logs and applies its leader's transactions under the
 * leader's LSNs and commit times, so its log mirrors the leader's and checkpoints, retention, purge and
 * restarts work as on any graph. A replica opened on an empty directory restores the archive's newest state
 * when an archive is configured and holds one, and otherwise starts a log at LSN 1 carrying the leader's graph
 * id. It never runs an archiver: the archive is the leader's. Applies run one at a time, under a lock of
 * their own, so the check that a transaction follows the last one and its write cannot interleave.
 */
public final class GraphDatabase implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(GraphDatabase.class);

    private final DatabaseConfig config;
    private final LogWriter writer;
    private final WriteAheadLog wal;
    private final Graph graph;
    private final ReplayReport replay;
    private final Path directory;
    private final FileIO io;
    private final ReentrantLock checkpointLock = new ReentrantLock();
    private final AtomicLong commitsSinceCheckpoint = new AtomicLong();
    private final ReentrantLock triggerLock = new ReentrantLock();
    private final Condition triggered = triggerLock.newCondition();
    private final Thread checkpointer;
    private volatile boolean running = true;
    private volatile boolean checkpointWanted;
    private volatile CheckpointReport lastCheckpoint;
    private final List<Consumer<CheckpointReport>> checkpointListeners = new CopyOnWriteArrayList<>();
    /** Guards the holds against a purge running between a hold's check and its registration. */
    private final ReentrantLock purgeLock = new ReentrantLock();
    private final List<LogHold> holds = new CopyOnWriteArrayList<>();
    private final List<ChangeSubscription> subscriptions = new CopyOnWriteArrayList<>();
    /** The archiver, or null without an archive; started once the database is built. */
    private volatile Archiver archiver;
    /** Serialises {@link #applyReplicated}, so the LSN it checks is still the log's next when it writes. */
    private final ReentrantLock replicaLock = new ReentrantLock();

    private GraphDatabase(DatabaseConfig config, LogWriter writer, Graph graph, ReplayReport replay) {
        this.config = config;
        this.writer = writer;
        this.wal = writer.log();
        this.graph = graph;
        this.replay = replay;
        this.directory = config.wal().directory();
        this.io = config.wal().fileIO();
        if (config.snapshotEveryRecords() > 0) {
            checkpointer = new Thread(this::runCheckpointer, "graphwal-checkpoint[" + directory.getFileName() + "]");
            checkpointer.setDaemon(true);
            checkpointer.start();
        } else {
            checkpointer = null;
        }
    }

    /**
     * Opens the database: verifies the log, loads the newest readable snapshot, falling back to older ones,
     * replays every WAL record after it, and only then opens the log for appending.
     *
     * <p><b>Every check before any change.</b> The log is verified with {@link WriteAheadLog#recover} before
     * anything in the directory is changed, told that the newest snapshot's LSN was durable (a checkpoint
     * fsyncs the log before it writes the snapshot), so damage or a missing stretch at or below it is refused
     * as corruption instead of cut as a torn tail. The snapshots are then matched with the log and read, and
     * the records after the chosen one replayed from the verified segments. Only when all of that succeeded
     * is a torn tail cut, the log opened and a leftover temporary snapshot file removed. Every refusal
     * (corruption, a snapshot the log does not reach, no usable snapshot, a record that does not replay)
     * therefore leaves the directory as it found it, for the operator to inspect, copy or repair.
     *
     * @param config the configuration
     * @return the open database, which the caller must close
     * @throws ReplayException if no snapshot and log rebuild a graph
     * @throws WalException if the log cannot be opened (locked, corrupt, unreadable)
     */
    public static GraphDatabase open(DatabaseConfig config) {
        long started = System.nanoTime();
        Path directory = config.wal().directory();
        FileIO io = config.wal().fileIO();
        boolean startedEmpty;
        try {
            // Only an archive needs to know (and listing the directory twice would race a checkpoint for nothing).
            startedEmpty = (config.archive() != null || config.replica()) && holdsNoGraph(io, directory);
            boolean restore = config.restoreIfEmpty() || config.replica();
            if (startedEmpty && restore && config.archive() != null
                    && ArchiveRestore.holdsGraph(config.archive().target())) {
                restoreInto(config, io, directory);
                startedEmpty = false;
            }
        } catch (IOException e) {
            throw new ReplayException("Cannot restore " + directory + " from the archive "
                    + config.archive().target().describe() + ": " + e.getMessage() + ". The directory is as it was; "
                    + "start again once the archive can be reached", e);
        }
        String newLogId = null;
        if (startedEmpty && config.replica()) {
            newLogId = config.leaderGraphId().get();
            if (newLogId == null) {
                throw new ReplayException("The replica's directory " + directory + " is empty and its leader's graph "
                        + "id is unknown; nothing was created. Start it once its source names the leader", null);
            }
        }
        GraphDatabase database = openDirectory(config, started, newLogId);
        if (config.archive() != null && !config.replica()) {
            try {
                database.startArchiver(config.archive(), startedEmpty);
            } catch (RuntimeException e) {
                try {
                    database.close();
                } catch (RuntimeException suppressed) {
                    e.addSuppressed(suppressed);
                }
                throw e;
            }
        }
        return database;
    }

    /** Whether the directory is missing or holds no segment and no snapshot. */
    private static boolean holdsNoGraph(FileIO io, Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            return true;
        }
        for (Path file : io.list(directory)) {
            String name = file.getFileName().toString();
            if (name.endsWith(".wal") || SnapshotFiles.parseFileName(name) >= 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * Restores the archive's newest state beside the directory, then moves the files in: the directory may
     * hold leftovers of an earlier start (an id file, a lock file) that a restore into it would refuse.
     */
    private static void restoreInto(DatabaseConfig config, FileIO io, Path directory) throws IOException {
        Path parent = directory.toAbsolutePath().getParent();
        Path staging = parent.resolve("." + directory.getFileName() + ".restoring-" + java.util.UUID.randomUUID());
        log.info("GraphWAL found {} empty and restores it from the archive {}", directory,
                config.archive().target().describe());
        try {
            ArchiveRestore.restore(config.archive().target(), io, staging, ArchiveRestore.Point.newest());
            io.createDirectories(directory);
            for (Path file : io.list(staging)) {
                io.move(file, directory.resolve(file.getFileName()));
            }
            io.syncDirectory(directory);
        } finally {
            if (Files.isDirectory(staging)) {
                for (Path left : io.list(staging)) {
                    io.delete(left);
                }
                io.delete(staging);
            }
        }
    }

    private void startArchiver(ArchiveConfig archive, boolean startedEmpty) {
        LogHold hold = holdLog("archive " + archive.target().describe(), wal.firstLsn());
        archiver = Archiver.start(archive, wal, io, directory, hold::advanceTo, startedEmpty);
    }

    /**
     * Opens the directory; {@code newLogId}, when not null, is the graph id of the log an empty replica
     * directory starts at LSN 1.
     */
    private static GraphDatabase openDirectory(DatabaseConfig config, long started, String newLogId) {
        Path directory = config.wal().directory();
        FileIO io = config.wal().fileIO();
        try {
            // Listed again under the lock below: this first look only tells recovery what the snapshots prove.
            Path newest = newestSnapshot(io, directory);
            long provenDurable = newest == null ? 0 : SnapshotFiles.parseFileName(newest.getFileName().toString());
            try (WalRecovery recovery = WriteAheadLog.recover(config.wal(), provenDurable, newest)) {
                Loaded loaded = loadSnapshot(io, directory, recovery);
                GraphStore store = loaded.store();
                long snapshotLsn = store.appliedLsn();
                long replayed = replayLog(recovery, store);
                LogWriter writer = newLogId != null && recovery.lastLsn() < recovery.firstLsn() && snapshotLsn == 0
                        ? recovery.openAt(1, newLogId) : recovery.open();
                WriteAheadLog wal = writer.log();
                try {
                    SnapshotFiles.deleteTemporaryFiles(io, directory);
                    ReplayReport report = new ReplayReport(snapshotLsn, loaded.skipped(), replayed,
                            wal.recovery().tornTailBytes(), Duration.ofNanos(System.nanoTime() - started));
                    log.info("GraphWAL opened {}: snapshot LSN {}, {} records replayed, {} torn-tail bytes cut, "
                            + "in {} ms", directory, snapshotLsn, replayed, report.tornTailBytes(),
                            report.duration().toMillis());
                    return new GraphDatabase(config, writer, new Graph(store, new LoggedTransactions(writer)), report);
                } catch (IOException | RuntimeException e) {
                    try {
                        writer.close();
                    } catch (RuntimeException suppressed) {
                        e.addSuppressed(suppressed);
                    }
                    throw e;
                }
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof WalException walException) {
                throw walException;
            }
            throw new ReplayException("Cannot open the graph in " + directory + ": " + e, e);
        }
    }

    /** The newest snapshot file in {@code directory}, or null if there is none (or no directory yet). */
    private static Path newestSnapshot(FileIO io, Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            return null; // the log refuses or creates it, under its own rules
        }
        List<Path> snapshots = SnapshotFiles.list(io, directory);
        return snapshots.isEmpty() ? null : snapshots.get(0);
    }

    /** The store a snapshot rebuilt (empty if none), and how many newer snapshots were passed over. */
    private record Loaded(GraphStore store, int skipped) {
    }

    /**
     * Loads the newest readable snapshot that the verified log continues, or an empty store if the log starts
     * at LSN 1 and none is usable. Changes nothing.
     */
    private static Loaded loadSnapshot(FileIO io, Path directory, WalRecovery recovery) throws IOException {
        int skipped = 0;
        ReplayException lastProblem = null;
        for (Path snapshot : SnapshotFiles.list(io, directory)) {
            long lsn = SnapshotFiles.parseFileName(snapshot.getFileName().toString());
            if (lsn > recovery.lastLsn()) {
                // Recovery already refuses this for the snapshot it was told of; this one appeared since.
                throw new ReplayException("Snapshot " + snapshot + " is at LSN " + lsn + " but the write-ahead log "
                        + "ends at LSN " + recovery.lastLsn() + ": the segments holding LSN " + (recovery.lastLsn() + 1)
                        + " to " + lsn + " are missing. Nothing was changed. Restore them from a backup or replica and "
                        + "open again; if the snapshot was not written by this log, move it out of the directory.",
                        null);
            }
            if (lsn + 1 < recovery.firstLsn()) {
                lastProblem = new ReplayException("Snapshot " + snapshot + " needs the log from LSN " + (lsn + 1)
                        + " but it starts at LSN " + recovery.firstLsn(), null);
                skipped++;
                continue;
            }
            try {
                GraphStore loaded = GraphSnapshots.read(io, snapshot);
                if (loaded.appliedLsn() != lsn) {
                    throw new IOException("its body is at LSN " + loaded.appliedLsn() + " but its name says " + lsn);
                }
                return new Loaded(loaded, skipped);
            } catch (IOException | MalformedDataException | IllegalStateException e) {
                log.warn("GraphWAL skipped unreadable snapshot {}: {}; falling back to an older one", snapshot,
                        e.getMessage());
                lastProblem = new ReplayException("Snapshot " + snapshot + " is unreadable: " + e.getMessage(), e);
                skipped++;
            }
        }
        if (recovery.firstLsn() > 1) {
            throw new ReplayException("No usable snapshot, and the write-ahead log starts at LSN "
                    + recovery.firstLsn() + " instead of 1, so the graph cannot be rebuilt. Nothing was changed. "
                    + "Restore a snapshot from a backup." + (lastProblem == null ? "" : " Last problem: "
                    + lastProblem.getMessage()), lastProblem);
        }
        return new Loaded(new GraphStore(), skipped);
    }

    /** Replays the verified records after {@code store}'s LSN, reading files only. */
    private static long replayLog(WalRecovery recovery, GraphStore store) {
        if (store.appliedLsn() >= recovery.lastLsn()) {
            return 0;
        }
        try (WalReader reader = recovery.reader(store.appliedLsn() + 1)) {
            return Replay.apply(store, reader, recovery.lastLsn());
        }
    }

    /**
     * Runs a write transaction, the only way to change the graph: {@code work} makes its changes through the
     * {@link Transaction}; if it returns normally and changed anything, the changes are logged as one record
     * and become visible to readers (in {@code per-commit} mode once fsynced, and this call returns after
     * that; in {@code group} and {@code none} mode at once, with {@link Commit#durable()} completing once
     * they are fsynced). Counts towards the automatic checkpoint. See {@link Graph#commit} for how
     * concurrent commits and readers interleave.
     *
     * @param work the transaction's body; it must not commit itself
     * @param <T> what it returns
     * @return the commit's outcome
     * @throws io.graphwal.graph.GraphValidationException if a change does not fit the graph (nothing was
     *     logged or changed)
     * @throws WalPoisonedException if the log is poisoned (the graph is read-only until restart)
     * @throws io.graphwal.graph.GraphFailedException if a logged transaction could not be applied and the
     *     graph stopped serving
     */
    public <T> Commit<T> commit(Function<Transaction, T> work) {
        if (config.replica()) {
            throw new ReadOnlyReplicaException(directory.toString());
        }
        long started = System.nanoTime();
        return counted(graph.commit(work), started);
    }

    /**
     * Applies one transaction of the leader to this read replica: validates it against the graph as a local
     * commit would, writes it to this replica's own log under the leader's LSN and commit time, and makes it
     * visible, honouring the sync mode (in {@code per-commit} mode it is durable when this returns). Counts
     * towards the automatic checkpoint. A transaction at or below the last LSN applied is a redelivery and is
     * skipped.
     *
     * @param transaction the leader's transaction; its LSN must be {@code wal().appendedLsn() + 1}
     * @return true if it was applied, false if it was a duplicate and skipped
     * @throws ReplicaGapException if its LSN is above the next one: the ones between are missing
     * @throws io.graphwal.graph.GraphValidationException if it does not fit the graph, or would not read back
     *     at the next start (nothing was logged or changed)
     * @throws io.graphwal.wal.WalRecordTooLargeException if it exceeds this log's record size limit
     * @throws WalPoisonedException if the log is poisoned
     * @throws IllegalStateException if this database is not a replica
     */
    public boolean applyReplicated(CommittedTransaction transaction) {
        Objects.requireNonNull(transaction, "transaction");
        if (!config.replica()) {
            throw new IllegalStateException("The graph in " + directory + " is not a read replica; open it with "
                    + "DatabaseConfig.withReplica to apply a leader's transactions");
        }
        replicaLock.lock();
        try {
            long applied = wal.appendedLsn();
            if (transaction.lsn() <= applied) {
                log.debug("GraphWAL replica {} skipped LSN {}, already applied (up to {})", directory,
                        transaction.lsn(), applied);
                return false;
            }
            if (transaction.lsn() != applied + 1) {
                throw new ReplicaGapException(applied + 1, transaction.lsn());
            }
            long started = System.nanoTime();
            Instant at = transaction.committedAt();
            long micros = at == null ? MutationCodec.UNKNOWN_COMMIT_TIME
                    : Math.addExact(Math.multiplyExact(at.getEpochSecond(), 1_000_000L), at.getNano() / 1_000);
            counted(graph.commitReplicated(transaction.lsn(), micros, transaction.mutations()), started);
            return true;
        } catch (ArithmeticException e) {
            throw new GraphValidationException("The transaction at LSN " + transaction.lsn() + " has a commit time "
                    + transaction.committedAt() + " too far from the epoch to log in microseconds");
        } finally {
            replicaLock.unlock();
        }
    }

    /**
     * Returns whether this database is a read replica.
     *
     * @return true if it was opened with {@link DatabaseConfig#withReplica}
     */
    public boolean isReplica() {
        return config.replica();
    }

    /** Reports a commit to the log's listener and counts it towards the automatic checkpoint. */
    private <T> Commit<T> counted(Commit<T> commit, long started) {
        if (commit.lsn() > 0) {
            wal.config().listener().committed(commit.lsn(), wal.config().syncMode(), System.nanoTime() - started);
        }
        long every = config.snapshotEveryRecords();
        if (every > 0 && commit.lsn() > 0 && commitsSinceCheckpoint.incrementAndGet() >= every && !checkpointWanted) {
            triggerLock.lock();
            try {
                checkpointWanted = true;
                triggered.signal();
            } finally {
                triggerLock.unlock();
            }
        }
        return commit;
    }

    /**
     * Runs a read-only query; see {@link Graph#read}.
     *
     * @param query the query
     * @param <T> its result
     * @return the result
     */
    public <T> T read(Function<GraphView, T> query) {
        return graph.read(query);
    }

    /**
     * Writes a snapshot of the graph now and purges the log behind the oldest retained snapshot. Waits for a
     * checkpoint already running to finish first.
     *
     * @return what was written
     * @throws WalPoisonedException if the log is poisoned
     * @throws WalException if the snapshot cannot be written (the log is untouched)
     */
    public CheckpointReport checkpoint() {
        checkpointLock.lock();
        try {
            WalPoison poison = wal.poison();
            if (poison != null) {
                throw new WalPoisonedException(poison);
            }
            long started = System.nanoTime();
            commitsSinceCheckpoint.set(0);
            SnapshotFiles.Written written;
            long lsn;
            try (StoreImage image = graph.freeze()) {
                lsn = image.lsn();
                // The snapshot must never be ahead of the durable log, or a crash could leave LSNs that the
                // log would hand out again.
                wal.flush();
                written = GraphSnapshots.write(io, directory, image);
            }
            verifyReadable(written.path(), lsn);
            int purged = retainAndPurge();
            CheckpointReport report = new CheckpointReport(lsn, written.path(), written.bytes(), Instant.now(),
                    Duration.ofNanos(System.nanoTime() - started), purged);
            lastCheckpoint = report;
            log.info("GraphWAL checkpoint at LSN {}: {} bytes in {} ms, {} WAL segments purged", lsn, written.bytes(),
                    report.duration().toMillis(), purged);
            Archiver shipping = archiver;
            if (shipping != null) {
                shipping.requestUpload();
            }
            notifyCheckpointListeners(report);
            return report;
        } catch (IOException e) {
            throw new WalException("Checkpoint of " + directory + " failed: " + e.getMessage()
                    + "; the log is untouched and the graph keeps working", e);
        } finally {
            checkpointLock.unlock();
        }
    }

    /**
     * Calls {@code listener} with the report of every checkpoint that completes from now on, on the thread that
     * ran it and before the next checkpoint can start, so it should return quickly. A listener that throws is
     * logged and does not fail the checkpoint.
     *
     * @param listener told of each completed checkpoint
     */
    public void addCheckpointListener(Consumer<CheckpointReport> listener) {
        checkpointListeners.add(Objects.requireNonNull(listener, "listener"));
    }

    private void notifyCheckpointListeners(CheckpointReport report) {
        for (Consumer<CheckpointReport> listener : checkpointListeners) {
            try {
                listener.accept(report);
            } catch (RuntimeException e) {
                log.warn("A checkpoint listener failed on the checkpoint at LSN {}", report.lsn(), e);
            }
        }
    }

    /**
     * Reads a snapshot just written back by every rule a load applies, before the log behind it may be purged:
     * a snapshot that a later start could not read, with the log behind it gone, would leave nothing to open.
     * One that fails is removed (it is this checkpoint's own output, and a start would only skip it) and the
     * checkpoint fails with the log untouched.
     */
    private void verifyReadable(Path snapshot, long lsn) throws IOException {
        try {
            long read = GraphSnapshots.verify(io, snapshot);
            if (read != lsn) {
                throw new IOException("its body is at LSN " + read + " but it was written at LSN " + lsn);
            }
        } catch (IOException | RuntimeException e) {
            try {
                io.delete(snapshot);
                io.syncDirectory(directory);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw new IOException("the snapshot just written, " + snapshot.getFileName() + ", does not read back ("
                    + e.getMessage() + "), so it was removed and the log was not purged", e);
        }
    }

    /**
     * Subscribes to the change feed: {@code listener} receives every durable transaction from {@code fromLsn}
     * on, each exactly once and in LSN order, on a thread of the subscription's own (see
     * {@link ChangeSubscription}), until the subscription or this database is closed. Commits never wait for
     * it. The subscription holds the log from its position on, so checkpoints do not purge what it has yet to
     * read.
     *
     * @param name names the subscription's thread and log hold, e.g. {@code kafka-publisher}
     * @param fromLsn the first LSN to deliver: any LSN the log still holds, or {@code wal().appendedLsn() + 1}
     *     for only what commits from now on
     * @param listener receives the transactions
     * @return the running subscription, which the caller closes
     * @throws WalException if {@code fromLsn} has been purged, naming the oldest LSN the log holds
     * @throws IllegalArgumentException if the name is blank or {@code fromLsn} is below 1 or not yet written
     * @throws WalClosedException if the database is closed
     */
    public ChangeSubscription subscribe(String name, long fromLsn, ChangeListener listener) {
        ChangeSubscription subscription = ChangeSubscription.open(this, name, fromLsn, listener, subscriptions::remove);
        subscriptions.add(subscription);
        if (!running) {
            subscription.close();
            throw new WalClosedException("Cannot subscribe '" + name + "': the graph in " + directory + " is closed");
        }
        subscription.start();
        return subscription;
    }

    /**
     * Takes a hold on the log from {@code fromLsn} on: until the hold is advanced past them or closed, no
     * checkpoint purges the segments holding {@code fromLsn} or any later LSN.
     *
     * @param owner who holds it, for messages
     * @param fromLsn the oldest LSN the holder needs, at least the oldest LSN the log still holds
     * @return the hold, which the holder closes when done
     * @throws WalException if {@code fromLsn} has been purged already, naming the oldest LSN held
     */
    public LogHold holdLog(String owner, long fromLsn) {
        Objects.requireNonNull(owner, "owner");
        purgeLock.lock();
        try {
            long oldest = wal.firstLsn();
            if (fromLsn < oldest) {
                throw new WalException("LSN " + fromLsn + " is no longer in the log of " + directory + ": the oldest "
                        + "LSN it holds is " + oldest + " (the segments before it were purged after a checkpoint)");
            }
            LogHold hold = new LogHold(owner, fromLsn, holds::remove);
            holds.add(hold);
            return hold;
        } finally {
            purgeLock.unlock();
        }
    }

    private int retainAndPurge() throws IOException {
        List<Path> snapshots = SnapshotFiles.list(io, directory);
        boolean deleted = false;
        for (int i = config.snapshotRetain(); i < snapshots.size(); i++) {
            io.delete(snapshots.get(i));
            deleted = true;
        }
        if (deleted) {
            io.syncDirectory(directory);
        }
        Path oldestKept = snapshots.get(Math.min(config.snapshotRetain(), snapshots.size()) - 1);
        long upTo = SnapshotFiles.parseFileName(oldestKept.getFileName().toString());
        purgeLock.lock();
        try {
            for (LogHold hold : holds) {
                if (hold.neededFromLsn() - 1 < upTo) {
                    log.debug("GraphWAL purge of {} held back to LSN {} by {}", directory, hold.neededFromLsn() - 1,
                            hold);
                    upTo = hold.neededFromLsn() - 1;
                }
            }
            return writer.purgeUpTo(upTo);
        } finally {
            purgeLock.unlock();
        }
    }

    private void runCheckpointer() {
        while (running) {
            triggerLock.lock();
            try {
                while (running && !checkpointWanted) {
                    triggered.awaitUninterruptibly();
                }
            } finally {
                triggerLock.unlock();
            }
            if (!running) {
                return;
            }
            try {
                checkpoint();
            } catch (WalPoisonedException e) {
                return; // read-only until restart; nothing to checkpoint
            } catch (RuntimeException e) {
                log.warn("GraphWAL automatic checkpoint failed; will try again after the next {} commits",
                        config.snapshotEveryRecords(), e);
            } finally {
                checkpointWanted = false;
            }
        }
    }

    /** The graph itself, for this package's tests; applications read and commit through this class. */
    Graph graph() {
        return graph;
    }

    /**
     * Returns the write-ahead log, for status, reading and flushing. It cannot append or purge: every record
     * comes from {@link #commit} and segments go only once retained snapshots no longer need them, so nothing
     * done through it can stop the next start.
     *
     * @return the log
     */
    public WriteAheadLog wal() {
        return wal;
    }

    /**
     * Returns the archiver, for status, health and metrics.
     *
     * @return the archiver, or null if no archive is configured
     */
    public Archiver archiver() {
        return archiver;
    }

    /**
     * Returns what opening the database did.
     *
     * @return the report
     */
    public ReplayReport lastReplay() {
        return replay;
    }

    /**
     * Returns the last checkpoint this process completed.
     *
     * @return the report, or null if none yet
     */
    public CheckpointReport lastCheckpoint() {
        return lastCheckpoint;
    }

    /**
     * Closes the change-feed subscriptions, stops and joins the checkpoint thread and waits for any running
     * checkpoint to finish, then closes the log: flush, fsync, release the directory lock, join the flusher.
     */
    @Override
    public void close() {
        running = false;
        subscriptions.forEach(ChangeSubscription::close);
        if (checkpointer != null) {
            triggerLock.lock();
            try {
                triggered.signalAll();
            } finally {
                triggerLock.unlock();
            }
            Threads.joinUninterruptibly(checkpointer);
        }
        if (archiver != null) {
            archiver.close(); // ships what is durable a last time, while the log is still open
        }
        // An on-demand checkpoint on another thread finishes (and purges) before the log goes away under it.
        checkpointLock.lock();
        try {
            writer.close();
        } finally {
            checkpointLock.unlock();
        }
    }
}
