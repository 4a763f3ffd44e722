package io.graphwal.wal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.graphwal.graph.Node;
import io.graphwal.reliability.SuiteSummary;
import io.graphwal.replay.DatabaseConfig;
import io.graphwal.replay.GraphDatabase;
import io.graphwal.wal.FaultInjectingFileIO.Kind;

/**
 * The I/O error suite, after SQLite's I/O-error test layer: a graph workload (open with a torn tail to cut,
 * transactions, segment rollover, checkpoints with their snapshot files, retention and purge, close) is run
 * once without faults to count its calls of each kind, then once per call index of each kind with that call
 * failing, once and from then on always. Fsyncs are counted and failed but do not reach the disk
 * ({@link NoSyncFileIO}), which keeps the several hundred runs fast. Every run must hold to the poisoned latch:
 * <ul>
 *   <li>a failure on the log's path (its writes, fsyncs, segment creation, directory fsyncs, segment
 *       deletion, the truncation at open) poisons it or fails the open: no commit is acknowledged after it,
 *       and no fsync is attempted after it, not even at close;</li>
 *   <li>a failure on a snapshot's path (its file's creation, writes, fsync, rename, the directory fsync,
 *       deleting an old snapshot) fails that checkpoint with an error and does not poison the log: commits
 *       go on (the policy: the log still holds everything, so nothing is at risk);</li>
 *   <li>the live graph never shows a transaction that was not acknowledged;</li>
 *   <li>reopening with a healthy file system recovers every acknowledged transaction and at most the one
 *       whose commit failed, as an exact prefix.</li>
 * </ul>
 * The figures go to {@code target/reliability/io-errors.txt}.
 */
class IoErrorTest {

    private static final int TRANSACTIONS = 16;
    private static final int BEFORE = 3;
    private static final Kind[] FAILED_KINDS = {Kind.CREATE, Kind.WRITE, Kind.FORCE, Kind.TRUNCATE, Kind.MOVE,
            Kind.SYNC_DIRECTORY, Kind.DELETE};

    private static long callSites;
    private static long cases;
    private static final List<String> violations = new ArrayList<>();

    @TempDir
    Path root;

    @AfterAll
    static void writeSummary() {
        SuiteSummary.write("io-errors", "call-sites=" + callSites + " cases=" + cases + " violations="
                + violations.size());
    }

    /** What a run saw. */
    private static final class Run {
        int attempted = BEFORE;
        int acknowledged = BEFORE;
        boolean poisoned;
        int failedCheckpoints;
        long forcesWhenPoisoned = -1;
    }

    @ParameterizedTest
    @EnumSource(value = SyncMode.class, names = {"PER_COMMIT", "NONE"})
    void everyFailedCallPoisonsOrFailsItsCheckpointAndARestartRecoversEveryAcknowledgedTransaction(SyncMode mode)
            throws Exception {
        Map<Kind, Long> counts = new EnumMap<>(Kind.class);
        Path dryRun = prepare("dry-run-" + mode);
        FaultInjectingFileIO healthy = new FaultInjectingFileIO(new NoSyncFileIO());
        Run clean = runWorkload(dryRun, mode, healthy);
        assertThat(clean.acknowledged).isEqualTo(BEFORE + TRANSACTIONS);
        assertThat(clean.failedCheckpoints).isZero();
        for (Kind kind : FAILED_KINDS) {
            counts.put(kind, healthy.calls(kind));
            assertThat(healthy.calls(kind)).as("the workload makes %s calls", kind).isPositive();
        }
        deleteRecursively(dryRun);
        List<String> found = new ArrayList<>();
        for (Kind kind : FAILED_KINDS) {
            for (int nth = 1; nth <= counts.get(kind); nth++) {
                callSites++;
                for (boolean always : new boolean[] {false, true}) {
                    cases++;
                    String context = mode + ", " + kind + " call #" + nth + " fails " + (always ? "always" : "once");
                    Path dir = prepare(kind + "-" + nth + "-" + always + "-" + mode);
                    FaultInjectingFileIO io = new FaultInjectingFileIO(new NoSyncFileIO());
                    if (always) {
                        io.failFrom(kind, nth);
                    } else {
                        io.failOnce(kind, nth);
                    }
                    String problem;
                    try {
                        Run run = runWorkload(dir, mode, io);
                        problem = check(dir, io, run);
                    } catch (RuntimeException | AssertionError e) {
                        problem = "unexpected " + e;
                    }
                    if (problem != null) {
                        found.add(context + ": " + problem);
                    }
                    deleteRecursively(dir);
                }
            }
        }
        violations.addAll(found);
        assertThat(found).isEmpty();
    }

    private static DatabaseConfig config(Path dir, SyncMode mode, FileIO io) {
        // Automatic checkpoints off: the workload takes them itself, so every run makes the same calls.
        return new DatabaseConfig(WalConfig.builder(dir).syncMode(mode).segmentSize(1024).maxRecordSize(512)
                .fileIO(io).build(), 0, 1);
    }

    /** A directory holding {@link #BEFORE} transactions and a torn tail, which the next open cuts off. */
    private Path prepare(String name) throws IOException {
        Path dir = Files.createDirectory(root.resolve(name));
        try (GraphDatabase db = GraphDatabase.open(config(dir, SyncMode.PER_COMMIT, new NoSyncFileIO()))) {
            for (int tx = 1; tx <= BEFORE; tx++) {
                commit(db, tx);
            }
        }
        Path last;
        try (Stream<Path> files = Files.list(dir)) {
            last = files.filter(path -> path.toString().endsWith(".wal")).sorted().reduce((a, b) -> b).orElseThrow();
        }
        Files.write(last, new byte[] {9, 9, 9, 9, 9, 9, 9}, StandardOpenOption.APPEND);
        return dir;
    }

    private static long commit(GraphDatabase db, int tx) {
        return db.commit(t -> t.createNode(List.of("T"), Map.of("tx", tx, "pad", "p".repeat(tx * 17 % 150))))
                .lsn();
    }

    private static Run runWorkload(Path dir, SyncMode mode, FaultInjectingFileIO io) {
        Run run = new Run();
        GraphDatabase db;
        try {
            db = GraphDatabase.open(config(dir, mode, io));
        } catch (WalException failedOpen) {
            run.forcesWhenPoisoned = io.calls(Kind.FORCE);
            run.poisoned = true;
            return run;
        }
        try {
            for (int tx = BEFORE + 1; tx <= BEFORE + TRANSACTIONS; tx++) {
                if (run.poisoned) {
                    int refused = tx;
                    try {
                        commit(db, refused);
                        throw new AssertionError("a commit was acknowledged after the log was poisoned");
                    } catch (WalPoisonedException expected) {
                        continue;
                    }
                }
                run.attempted = tx;
                try {
                    commit(db, tx);
                    if (mode == SyncMode.PER_COMMIT) {
                        run.acknowledged = tx;
                    } else if (tx % 3 == 0) {
                        db.wal().flush();
                        run.acknowledged = tx;
                    }
                    if (tx % 4 == 0) {
                        try {
                            db.checkpoint();
                            run.acknowledged = tx;
                        } catch (WalPoisonedException poisoned) {
                            throw poisoned;
                        } catch (WalException failedSnapshot) {
                            run.failedCheckpoints++;
                            if (db.wal().poison() != null) {
                                // The purge after the snapshot is the log's: that may poison it.
                                throw new WalPoisonedException(db.wal().poison());
                            }
                        }
                    }
                } catch (WalPoisonedException e) {
                    run.poisoned = true;
                    run.forcesWhenPoisoned = io.calls(Kind.FORCE);
                }
                if (!run.poisoned && db.read(view -> view.nodeCount()) != tx) {
                    throw new AssertionError("the live graph has " + db.read(view -> view.nodeCount())
                            + " transactions after " + tx + " commits");
                }
            }
            if (!run.poisoned && run.acknowledged < run.attempted) {
                try {
                    db.wal().flush();
                    run.acknowledged = run.attempted;
                } catch (WalPoisonedException e) {
                    run.poisoned = true;
                    run.forcesWhenPoisoned = io.calls(Kind.FORCE);
                }
            }
            if (run.poisoned && db.read(view -> view.nodeCount()) > run.acknowledged
                    && mode == SyncMode.PER_COMMIT) {
                throw new AssertionError("the live graph shows " + db.read(view -> view.nodeCount())
                        + " transactions; only " + run.acknowledged + " were acknowledged");
            }
        } finally {
            try {
                db.close();
            } catch (WalException failedClose) {
                if (!run.poisoned && db.wal().poison() != null) {
                    run.poisoned = true; // the final fsync at close failed
                    run.forcesWhenPoisoned = io.calls(Kind.FORCE);
                } else if (!run.poisoned) {
                    throw failedClose;
                }
            }
        }
        return run;
    }

    /** Returns what is wrong after a run, or null. */
    private static String check(Path dir, FaultInjectingFileIO io, Run run) {
        if (io.injected().isEmpty()) {
            return "the armed call was never made";
        }
        if (run.poisoned && io.calls(Kind.FORCE) != run.forcesWhenPoisoned) {
            return "fsync was attempted " + (io.calls(Kind.FORCE) - run.forcesWhenPoisoned)
                    + " more times after the log was poisoned";
        }
        if (!run.poisoned && run.failedCheckpoints == 0) {
            return "a failure was injected (" + io.injected().get(0).getMessage() + ") but nothing reported it";
        }
        try (GraphDatabase db = GraphDatabase.open(config(dir, SyncMode.PER_COMMIT, new NoSyncFileIO()))) {
            Map<Long, Integer> byTx = db.read(view -> {
                Map<Long, Integer> seen = new TreeMap<>();
                for (Node node : view.nodesWithLabel("T")) {
                    seen.merge((Long) node.properties().get("tx"), 1, Integer::sum);
                }
                return seen;
            });
            int k = byTx.size();
            for (long tx = 1; tx <= k; tx++) {
                if (!Integer.valueOf(1).equals(byTx.get(tx))) {
                    return "recovered transactions are not an exact prefix: " + byTx;
                }
            }
            if (k < run.acknowledged) {
                return "restart recovered " + k + " transactions but " + run.acknowledged + " were acknowledged";
            }
            if (k > run.attempted) {
                return "restart recovered " + k + " transactions but only " + run.attempted + " were attempted";
            }
            return null;
        } catch (RuntimeException e) {
            return "restart failed: " + e;
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                Files.delete(path);
            }
        }
    }
}
