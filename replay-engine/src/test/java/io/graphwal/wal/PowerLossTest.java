package io.graphwal.wal;

import static io.graphwal.wal.WalFixtures.TYPE;
import static io.graphwal.wal.WalFixtures.payload;
import static io.graphwal.wal.WalFixtures.readAll;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
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

import io.graphwal.graph.Direction;
import io.graphwal.graph.GraphView;
import io.graphwal.graph.Node;
import io.graphwal.graph.Relationship;
import io.graphwal.io.FileIO;
import io.graphwal.io.PowerLossFileIO;
import io.graphwal.reliability.SuiteSummary;
import io.graphwal.replay.DatabaseConfig;
import io.graphwal.replay.GraphDatabase;

/**
 * The power-loss suite: cuts the power at every I/O call of a workload, damages the unsynced state at random
 * ({@link PowerLossFileIO}: unsynced writes torn by sector, unsynced directory operations reverted), and
 * checks that every write acknowledged as durable survives, that recovery never mistakes the damage for
 * corruption, and that nothing which was not written appears. Two workloads: the bare log (appends, rollover,
 * purge), and a {@link GraphDatabase} (transactions, rollover, checkpoints with their snapshot files, retention
 * and purge), in every sync mode. Group and none mode, which write their segments through a memory mapping in
 * production on Linux, run each workload twice: with handles that refuse the mapping (system-call writes)
 * and with handles that accept it ({@link PowerLossFileIO#mappingForWriting()}: zero-fill ahead, copies whose
 * pages survive whole or not at all, each page on its own). The figures go to
 * {@code target/reliability/power-loss.txt}, the mapped runs' share counted apart as well.
 */
class PowerLossTest {

    private static final int RECORDS = 30;
    private static final int DAMAGES_PER_CRASH_POINT = 3;
    private static final int TRANSACTIONS = SuiteSummary.longMode() ? 40 : 12;
    private static final int GRAPH_DAMAGES_PER_CRASH_POINT = SuiteSummary.longMode() ? 8 : 2;

    private static long crashPoints;
    private static long damages;
    private static long mappedCrashPoints;
    private static long mappedDamages;
    /** Mapped runs whose power loss kept a page written after one it lost: what only mapping can do here. */
    private static long mappedOutOfOrder;
    private static final List<String> violations = new ArrayList<>();

    @TempDir
    Path root;

    @AfterAll
    static void writeSummary() {
        SuiteSummary.write("power-loss", "crash-points=" + crashPoints + " damages=" + damages + " violations="
                + violations.size() + " mapped-crash-points=" + mappedCrashPoints + " mapped-damages="
                + mappedDamages + " mapped-out-of-order=" + mappedOutOfOrder);
    }

    /**
     * Every sync mode with system-call writes, and the modes that map their segments with mapped writes too
     * (per-commit mode never asks for a mapping, so a mapping-capable file system would change nothing).
     */
    static Stream<Arguments> modes() {
        return Stream.of(Arguments.of(SyncMode.PER_COMMIT, false), Arguments.of(SyncMode.GROUP, false),
                Arguments.of(SyncMode.NONE, false), Arguments.of(SyncMode.GROUP, true),
                Arguments.of(SyncMode.NONE, true));
    }

    /**
     * How much larger the mapped runs make segments, record limits and texts: with the 1 KiB segments of the
     * other runs one 4 KiB page would hold a whole segment, so pages reaching the disk out of order could never
     * leave a hole between records. At 16 a segment spans four pages and records straddle page boundaries,
     * while the workload keeps its rollovers and purges, and so its calls.
     */
    private static final int MAPPED_SCALE = 16;

    private static int scale(boolean mapped) {
        return mapped ? MAPPED_SCALE : 1;
    }

    private static PowerLossFileIO fileIO(boolean mapped) {
        return mapped ? PowerLossFileIO.mappingForWriting() : new PowerLossFileIO();
    }

    private static void counted(boolean mapped, long crashPointsRun, long damagesRun) {
        crashPoints += crashPointsRun;
        damages += damagesRun;
        if (mapped) {
            mappedCrashPoints += crashPointsRun;
            mappedDamages += damagesRun;
        }
    }

    /** What the workload managed before the power went out. */
    private static final class Outcome {
        long acknowledgedDurable;
        long purgedUpTo;
    }

    @ParameterizedTest(name = "{0}, mapped writes: {1}")
    @MethodSource("modes")
    void acknowledgedDurableRecordsSurvivePowerLossAtEveryIoCall(SyncMode mode, boolean mapped) throws Exception {
        long seed = SuiteSummary.seed();
        System.out.println("PowerLossTest log workload, " + mode + (mapped ? " mapped" : "") + ": seed " + seed);
        Random random = new Random(seed);
        int scale = scale(mapped);
        long calls = dryRunCalls(mode, mapped);
        assertThat(calls).isGreaterThan(RECORDS);
        int runs = 0;
        for (long cut = 1; cut <= calls; cut++) {
            for (int damage = 0; damage < DAMAGES_PER_CRASH_POINT; damage++) {
                Path dir = Files.createDirectory(root.resolve("run-" + runs++));
                PowerLossFileIO io = fileIO(mapped);
                io.cutPowerAtCall(cut);
                Outcome outcome = runWorkload(dir, mode, io, scale);
                io.powerLoss(random);
                mappedOutOfOrder += io.filesWithPagesOutOfOrder() > 0 ? 1 : 0;
                String context = "seed " + seed + " (-Dgraphwal.test.seed), mode " + mode
                        + (mapped ? ", mapped writes" : "") + ", power cut at call " + cut + " of " + calls
                        + ", damage " + damage;
                counted(mapped, 0, 1);
                try {
                    verifyRecovery(dir, outcome, context, scale, mapped ? mode : null);
                } catch (AssertionError e) {
                    violations.add(e.getMessage());
                    throw e;
                }
                deleteRecursively(dir);
            }
            counted(mapped, 1, 0);
        }
        assertThat(runs).isEqualTo(calls * DAMAGES_PER_CRASH_POINT);
    }

    private long dryRunCalls(SyncMode mode, boolean mapped) throws Exception {
        Path dir = Files.createDirectory(root.resolve("dry-run"));
        PowerLossFileIO io = fileIO(mapped);
        Outcome outcome = runWorkload(dir, mode, io, scale(mapped));
        assertThat(io.powerWasCut()).isFalse();
        if (mapped) {
            assertThat(io.mappedCopies()).as("the log writes its records through the mapping").isPositive();
        }
        assertThat(outcome.acknowledgedDurable).isEqualTo(RECORDS);
        deleteRecursively(dir);
        return io.mutatingCalls();
    }

    private static WalConfig config(Path dir, SyncMode mode, FileIO io, int scale) {
        return WalConfig.builder(dir).syncMode(mode).groupInterval(Duration.ofMillis(1)).segmentSize(1024 * scale)
                .maxRecordSize(400 * scale).fileIO(io).build();
    }

    static String text(long lsn, int scale) {
        // Sizes vary so records straddle sector, page and segment boundaries in different places.
        return "rec-" + lsn + "-" + "abcdefghij".repeat((int) (lsn * 7 % 31) * scale);
    }

    private static Outcome runWorkload(Path dir, SyncMode mode, PowerLossFileIO io, int scale) throws Exception {
        Outcome outcome = new Outcome();
        WriteAheadLog wal;
        try {
            wal = WriteAheadLog.open(config(dir, mode, io, scale));
        } catch (WalException powerCutDuringOpen) {
            return outcome;
        }
        try {
            for (long i = 1; i <= RECORDS; i++) {
                long lsn = wal.append(TYPE, payload(text(i, scale)));
                assertThat(lsn).isEqualTo(i);
                switch (mode) {
                    case PER_COMMIT -> outcome.acknowledgedDurable = lsn;
                    case GROUP -> {
                        wal.durable(lsn).get(30, TimeUnit.SECONDS);
                        outcome.acknowledgedDurable = lsn;
                    }
                    case NONE -> {
                        if (i % 4 == 0 || i == RECORDS) {
                            wal.flush();
                            outcome.acknowledgedDurable = lsn;
                        }
                    }
                }
                if (i % 10 == 0 && outcome.acknowledgedDurable > 5) {
                    // Recorded first: once asked, the purge may have deleted files even if it then fails.
                    outcome.purgedUpTo = outcome.acknowledgedDurable - 5;
                    wal.purgeUpTo(outcome.purgedUpTo);
                }
            }
        } catch (WalException | ExecutionException e) {
            assertThat(io.powerWasCut()).as("failure without a power cut: %s", e).isTrue();
        } catch (TimeoutException e) {
            throw new AssertionError("a durable future never completed", e);
        } finally {
            try {
                wal.close();
            } catch (WalException expectedAfterPowerCut) {
                assertThat(io.powerWasCut()).isTrue();
            }
        }
        return outcome;
    }

    /**
     * Checks the recovered log and appends to it. With {@code mappedMode} the restart itself runs in that mode
     * through a mapping-capable file system, so a mapped segment left by the power loss is mapped again at
     * open and written after its recovered records; a second, plain open then checks that append too.
     */
    private static void verifyRecovery(Path dir, Outcome outcome, String context, int scale, SyncMode mappedMode) {
        SyncMode mode = mappedMode == null ? SyncMode.PER_COMMIT : mappedMode;
        FileIO io = mappedMode == null ? FileIO.standard() : PowerLossFileIO.mappingForWriting();
        long appended;
        try (WriteAheadLog wal = WriteAheadLog.open(config(dir, mode, io, scale))) {
            long first = wal.firstLsn();
            long last = wal.appendedLsn();
            assertThat(last).as("acknowledged records lost; %s", context).isGreaterThanOrEqualTo(
                    outcome.acknowledgedDurable);
            assertThat(first).as("unpurged records lost; %s", context).isLessThanOrEqualTo(
                    Math.max(1, outcome.purgedUpTo + 1));
            List<String> expected = new ArrayList<>();
            for (long lsn = first; lsn <= last; lsn++) {
                expected.add(lsn + ":" + text(lsn, scale));
            }
            assertThat(readAll(wal, first)).as(context).isEqualTo(expected);
            assertThat(wal.append(TYPE, payload(text(last + 1, scale)))).as(context).isEqualTo(last + 1);
            wal.flush();
            appended = last + 1;
        } catch (WalCorruptionException e) {
            throw new AssertionError("a power loss was refused as corruption; " + context, e);
        }
        if (mappedMode != null) {
            // A torn tail now would mean the mapped restart's own writes went wrong: nothing cut them.
            try (WriteAheadLog wal = WriteAheadLog.open(WalConfig.builder(dir).segmentSize(1024 * scale)
                    .maxRecordSize(400 * scale).tornTail(TornTailPolicy.FAIL).build())) {
                assertThat(wal.appendedLsn()).as("the append after a mapped restart; %s", context)
                        .isEqualTo(appended);
                assertThat(readAll(wal, appended)).as(context).containsExactly(appended + ":" + text(appended, scale));
            }
        }
    }

    /** What the graph workload managed before the power went out. */
    private static final class GraphOutcome {
        int attempted;
        int acknowledgedDurable;
    }

    @ParameterizedTest(name = "{0}, mapped writes: {1}")
    @MethodSource("modes")
    void acknowledgedDurableTransactionsSurvivePowerLossAtEveryIoCallOfCommitsAndCheckpoints(SyncMode mode,
            boolean mapped) throws Exception {
        long seed = SuiteSummary.seed();
        System.out.println("PowerLossTest graph workload, " + mode + (mapped ? " mapped" : "") + ": seed " + seed);
        Random random = new Random(seed);
        int scale = scale(mapped);
        Path dryRun = Files.createDirectory(root.resolve("graph-dry-run"));
        PowerLossFileIO healthy = fileIO(mapped);
        GraphOutcome complete = runGraphWorkload(dryRun, mode, healthy, scale);
        assertThat(healthy.powerWasCut()).isFalse();
        if (mapped) {
            assertThat(healthy.mappedCopies()).as("the log writes its records through the mapping").isPositive();
        }
        assertThat(complete.acknowledgedDurable).isEqualTo(TRANSACTIONS);
        try (Stream<Path> files = Files.list(dryRun)) {
            assertThat(files.filter(path -> path.toString().endsWith(".snap")).count())
                    .as("the workload writes and retains snapshots").isEqualTo(2);
        }
        long calls = healthy.mutatingCalls();
        deleteRecursively(dryRun);
        List<String> found = new ArrayList<>();
        for (long cut = 1; cut <= calls; cut++) {
            for (int damage = 0; damage < GRAPH_DAMAGES_PER_CRASH_POINT; damage++) {
                Path dir = Files.createDirectory(root.resolve("graph-" + cut + "-" + damage));
                PowerLossFileIO io = fileIO(mapped);
                io.cutPowerAtCall(cut);
                GraphOutcome outcome = runGraphWorkload(dir, mode, io, scale);
                io.powerLoss(random);
                mappedOutOfOrder += io.filesWithPagesOutOfOrder() > 0 ? 1 : 0;
                counted(mapped, 0, 1);
                String context = "seed " + seed + " (-Dgraphwal.test.seed), mode " + mode
                        + (mapped ? ", mapped writes" : "") + ", power cut at call " + cut + " of " + calls
                        + ", damage " + damage;
                String problem = verifyGraph(dir, outcome, scale);
                if (problem != null) {
                    found.add(context + ": " + problem);
                }
                deleteRecursively(dir);
            }
            counted(mapped, 1, 0);
        }
        violations.addAll(found);
        assertThat(found).isEmpty();
    }

    private static DatabaseConfig graphConfig(Path dir, SyncMode mode, FileIO io, int scale) {
        // No automatic checkpoints: the workload takes them itself, so every run makes the same calls.
        return new DatabaseConfig(WalConfig.builder(dir).syncMode(mode).groupInterval(Duration.ofMillis(1))
                .segmentSize(1024 * scale).maxRecordSize(512 * scale).fileIO(io).build(), 0, 2);
    }

    /**
     * Transaction i creates two nodes and a relationship, all carrying i, and sets a property on the first
     * node of transaction i - 1; every fourth transaction is followed by a checkpoint.
     */
    private static GraphOutcome runGraphWorkload(Path dir, SyncMode mode, PowerLossFileIO io, int scale)
            throws Exception {
        GraphOutcome outcome = new GraphOutcome();
        GraphDatabase db;
        try {
            db = GraphDatabase.open(graphConfig(dir, mode, io, scale));
        } catch (WalException powerCutDuringOpen) {
            return outcome;
        }
        try {
            long previous = -1;
            for (int i = 1; i <= TRANSACTIONS; i++) {
                int tx = i;
                long touched = previous;
                outcome.attempted = tx;
                var commit = db.commit(t -> {
                    long a = t.createNode(List.of("G"), Map.of("tx", tx, "text", PowerLossTest.text(tx, scale)));
                    long b = t.createNode(List.of("G"), Map.of("tx", tx));
                    t.createRelationship(a, b, "R", Map.of("tx", tx));
                    if (touched >= 0) {
                        t.setNodeProperty(touched, "next", tx);
                    }
                    return a;
                });
                previous = commit.value();
                switch (mode) {
                    case PER_COMMIT -> outcome.acknowledgedDurable = tx;
                    case GROUP -> {
                        commit.durable().get(30, TimeUnit.SECONDS);
                        outcome.acknowledgedDurable = tx;
                    }
                    case NONE -> {
                        if (tx % 3 == 0) {
                            db.wal().flush();
                            outcome.acknowledgedDurable = tx;
                        }
                    }
                }
                if (tx % 4 == 0) {
                    db.checkpoint(); // fsyncs the log first: what it covers is durable once it returns
                    outcome.acknowledgedDurable = tx;
                }
            }
        } catch (WalException | ExecutionException e) {
            if (!io.powerWasCut()) {
                throw new AssertionError("failure without a power cut", e);
            }
        } catch (TimeoutException e) {
            throw new AssertionError("a durable future never completed", e);
        } finally {
            try {
                db.close();
            } catch (WalException expectedAfterPowerCut) {
                assertThat(io.powerWasCut()).isTrue();
            }
        }
        return outcome;
    }

    /** Returns what is wrong with the graph recovered after the power loss, or null if it is right. */
    private static String verifyGraph(Path dir, GraphOutcome outcome, int scale) {
        try (GraphDatabase db = GraphDatabase.open(graphConfig(dir, SyncMode.PER_COMMIT, FileIO.standard(),
                scale))) {
            String problem = db.read(view -> checkPrefix(view, outcome, scale));
            if (problem != null) {
                return problem;
            }
            // The recovered graph takes new transactions.
            db.commit(t -> t.createNode(List.of("After"), Map.of()));
            return null;
        } catch (RuntimeException e) {
            return "recovery failed after a power loss that damaged nothing durable: " + e;
        }
    }

    /** The recovered transactions must be exactly 1..k, each whole, with acknowledged <= k <= attempted. */
    private static String checkPrefix(GraphView view, GraphOutcome outcome, int scale) {
        Map<Long, List<Node>> byTx = new TreeMap<>();
        for (Node node : view.nodesWithLabel("G")) {
            byTx.computeIfAbsent((Long) node.properties().get("tx"), tx -> new ArrayList<>()).add(node);
        }
        long k = byTx.size();
        if (k < outcome.acknowledgedDurable) {
            return "only " + k + " transactions recovered, " + outcome.acknowledgedDurable
                    + " were acknowledged durable";
        }
        if (k > outcome.attempted) {
            return k + " transactions recovered, only " + outcome.attempted + " were attempted";
        }
        long expected = 1;
        for (Map.Entry<Long, List<Node>> entry : byTx.entrySet()) {
            long tx = entry.getKey();
            if (tx != expected++) {
                return "transactions recovered are not a prefix: " + byTx.keySet();
            }
            List<Node> nodes = entry.getValue();
            Node first = nodes.stream().filter(node -> node.properties().containsKey("text")).findFirst().orElse(null);
            if (nodes.size() != 2 || first == null || !text(tx, scale).equals(first.properties().get("text"))) {
                return "transaction " + tx + " is not whole: " + nodes;
            }
            List<Relationship> out = view.relationships(first.id(), Direction.OUTGOING, "R");
            if (out.size() != 1 || !Long.valueOf(tx).equals(out.get(0).properties().get("tx"))) {
                return "transaction " + tx + " lost its relationship: " + out;
            }
            Object next = first.properties().get("next");
            boolean successorRecovered = tx < k;
            if (successorRecovered ? !Long.valueOf(tx + 1).equals(next) : next != null) {
                return "transaction " + tx + " has next=" + next + " with " + k + " transactions recovered";
            }
        }
        return null;
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                Files.delete(path);
            }
        }
    }
}
