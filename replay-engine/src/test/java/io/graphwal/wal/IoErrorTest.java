package io.graphwal.wal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.graphwal.graph.Commit;
import io.graphwal.graph.Node;
import io.graphwal.io.FaultInjectingFileIO;
import io.graphwal.io.FaultInjectingFileIO.Kind;
import io.graphwal.io.FileIO;
import io.graphwal.io.NoSyncFileIO;
import io.graphwal.reliability.SuiteSummary;
import io.graphwal.replay.DatabaseConfig;
import io.graphwal.replay.GraphDatabase;

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
 * Group and none mode, which write their segments through a memory mapping in production on Linux, also run
 * with handles that accept the mapping ({@link FaultInjectingFileIO#mappingForWriting}), whose steps are
 * failed in turn as well: the mapping call, each write of zeros ahead of the copies, and each copy (a failed
 * copy having copied up to a page boundary). There group mode waits for each commit to be durable, so the
 * flusher's fsyncs come in the same order in every run and a call index names the same call. The figures go
 * to {@code target/reliability/io-errors.txt}, the mapped runs' share counted apart as well.
 */
class IoErrorTest {

    private static final int TRANSACTIONS = 16;
    private static final int BEFORE = 3;
    private static final Kind[] FAILED_KINDS = {Kind.CREATE, Kind.WRITE, Kind.FORCE, Kind.TRUNCATE, Kind.MOVE,
            Kind.SYNC_DIRECTORY, Kind.DELETE};
    private static final Kind[] MAPPED_KINDS = {Kind.MAP, Kind.ZERO_FILL, Kind.MAPPED_WRITE};
    /**
     * How much larger the mapped runs make segments, record limits and padding: at 1 KiB a segment would lie
     * within one 4 KiB page and no copy would cross a page boundary, so none could fail part-way. Scaled
     * alike, the workload keeps its rollovers, and so its calls.
     */
    private static final int MAPPED_SCALE = 16;

    private static long callSites;
    private static long cases;
    private static long mappedCallSites;
    private static long mappedCases;
    private static final List<String> violations = new ArrayList<>();

    @TempDir
    Path root;

    @AfterAll
    static void writeSummary() {
        SuiteSummary.write("io-errors", "call-sites=" + callSites + " cases=" + cases + " violations="
                + violations.size() + " mapped-call-sites=" + mappedCallSites + " mapped-cases=" + mappedCases);
    }

    /**
     * Per-commit and none mode with system-call writes, as always; group and none mode with mapped writes
     * (per-commit mode never asks for a mapping).
     */
    static Stream<Arguments> modes() {
        return Stream.of(Arguments.of(SyncMode.PER_COMMIT, false), Arguments.of(SyncMode.NONE, false),
                Arguments.of(SyncMode.GROUP, true), Arguments.of(SyncMode.NONE, true));
    }

    private static FaultInjectingFileIO fileIO(boolean mapped) {
        return mapped ? FaultInjectingFileIO.mappingForWriting(new NoSyncFileIO())
                : new FaultInjectingFileIO(new NoSyncFileIO());
    }

    /** What a run saw. */
    private static final class Run {
        int attempted = BEFORE;
        int acknowledged = BEFORE;
        boolean poisoned;
        int failedCheckpoints;
        long forcesWhenPoisoned = -1;
    }

    @ParameterizedTest(name = "{0}, mapped writes: {1}")
    @MethodSource("modes")
    void everyFailedCallPoisonsOrFailsItsCheckpointAndARestartRecoversEveryAcknowledgedTransaction(SyncMode mode,
            boolean mapped) throws Exception {
        Map<Kind, Long> counts = new EnumMap<>(Kind.class);
        int scale = mapped ? MAPPED_SCALE : 1;
        Path dryRun = prepare("dry-run-" + mode, scale);
        FaultInjectingFileIO healthy = fileIO(mapped);
        Run clean = runWorkload(dryRun, mode, healthy, scale);
        assertThat(clean.acknowledged).isEqualTo(BEFORE + TRANSACTIONS);
        assertThat(clean.failedCheckpoints).isZero();
        List<Kind> failedKinds = new ArrayList<>(List.of(FAILED_KINDS));
        if (mapped) {
            failedKinds.addAll(List.of(MAPPED_KINDS));
        }
        for (Kind kind : failedKinds) {
            counts.put(kind, healthy.calls(kind));
            assertThat(healthy.calls(kind)).as("the workload makes %s calls", kind).isPositive();
        }
        deleteRecursively(dryRun);
        List<String> found = new ArrayList<>();
        for (Kind kind : failedKinds) {
            for (int nth = 1; nth <= counts.get(kind); nth++) {
                callSites++;
                mappedCallSites += mapped ? 1 : 0;
                for (boolean always : new boolean[] {false, true}) {
                    cases++;
                    mappedCases += mapped ? 1 : 0;
                    String context = mode + (mapped ? " mapped" : "") + ", " + kind + " call #" + nth + " fails "
                            + (always ? "always" : "once");
                    Path dir = prepare(kind + "-" + nth + "-" + always + "-" + mode, scale);
                    FaultInjectingFileIO io = fileIO(mapped);
                    if (always) {
                        io.failFrom(kind, nth);
                    } else {
                        io.failOnce(kind, nth);
                    }
                    String problem;
                    try {
                        Run run = runWorkload(dir, mode, io, scale);
                        problem = check(dir, io, run, scale);
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

    private static DatabaseConfig config(Path dir, SyncMode mode, FileIO io, int scale) {
        // Automatic checkpoints off: the workload takes them itself, so every run makes the same calls.
        return new DatabaseConfig(WalConfig.builder(dir).syncMode(mode).groupInterval(Duration.ofMillis(1))
                .segmentSize(1024 * scale).maxRecordSize(512 * scale).fileIO(io).build(), 0, 1);
    }

    /** A directory holding {@link #BEFORE} transactions and a torn tail, which the next open cuts off. */
    private Path prepare(String name, int scale) throws IOException {
        Path dir = Files.createDirectory(root.resolve(name));
        try (GraphDatabase db = GraphDatabase.open(config(dir, SyncMode.PER_COMMIT, new NoSyncFileIO(), scale))) {
            for (int tx = 1; tx <= BEFORE; tx++) {
                commit(db, tx, scale);
            }
        }
        Path last;
        try (Stream<Path> files = Files.list(dir)) {
            last = files.filter(path -> path.toString().endsWith(".wal")).sorted().reduce((a, b) -> b).orElseThrow();
        }
        Files.write(last, new byte[] {9, 9, 9, 9, 9, 9, 9}, StandardOpenOption.APPEND);
        return dir;
    }

    private static Commit<Long> commit(GraphDatabase db, int tx, int scale) {
        return db.commit(t -> t.createNode(List.of("T"), Map.of("tx", tx, "pad",
                "p".repeat(tx * 17 % 150 * scale))));
    }

    /** Waits for a group-mode commit to become durable; a failed fsync poisons the log, as a commit sees it. */
    private static void awaitDurable(GraphDatabase db, Commit<Long> commit) {
        try {
            commit.durable().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (db.wal().poison() == null) {
                throw new AssertionError("a durable future failed but the log is not poisoned", e);
            }
            throw new WalPoisonedException(db.wal().poison());
        } catch (InterruptedException | TimeoutException e) {
            throw new AssertionError("a durable future never completed", e);
        }
    }

    private static Run runWorkload(Path dir, SyncMode mode, FaultInjectingFileIO io, int scale) {
        Run run = new Run();
        GraphDatabase db;
        try {
            db = GraphDatabase.open(config(dir, mode, io, scale));
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
                        commit(db, refused, scale);
                        throw new AssertionError("a commit was acknowledged after the log was poisoned");
                    } catch (WalPoisonedException expected) {
                        continue;
                    }
                }
                run.attempted = tx;
                try {
                    Commit<Long> commit = commit(db, tx, scale);
                    if (mode == SyncMode.PER_COMMIT) {
                        run.acknowledged = tx;
                    } else if (mode == SyncMode.GROUP) {
                        awaitDurable(db, commit);
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
    private static String check(Path dir, FaultInjectingFileIO io, Run run, int scale) {
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
        try (GraphDatabase db = GraphDatabase.open(config(dir, SyncMode.PER_COMMIT, new NoSyncFileIO(), scale))) {
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
