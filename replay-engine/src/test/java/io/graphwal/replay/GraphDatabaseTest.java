package io.graphwal.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.graphwal.graph.MemoryTransactionLog;
import io.graphwal.graph.StoreImage;
import io.graphwal.io.FileIO;
import io.graphwal.snapshot.GraphSnapshots;
import io.graphwal.snapshot.SnapshotFiles;
import io.graphwal.wal.SyncMode;
import io.graphwal.wal.WalConfig;

/** Opening rebuilds exactly the graph that was committed, from snapshots and the log together. */
class GraphDatabaseTest {

    @TempDir
    Path dir;

    private DatabaseConfig config(long everyRecords, int retain) {
        return new DatabaseConfig(WalConfig.builder(dir).syncMode(SyncMode.GROUP).segmentSize(16 * 1024)
                .maxRecordSize(4096).build(), everyRecords, retain);
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3})
    void aFullReplayAndASnapshotPlusTailBothRebuildTheLiveGraph(long seed) {
        RandomGraphWorkload workload = new RandomGraphWorkload(seed);
        String live;
        try (GraphDatabase db = GraphDatabase.open(config(0, 2))) {
            for (int i = 0; i < 300; i++) {
                workload.step(db);
            }
            live = db.read(workload::dump);
        }
        try (GraphDatabase db = GraphDatabase.open(config(0, 2))) {
            assertThat(db.lastReplay().snapshotLsn()).isZero();
            assertThat(db.lastReplay().recordsReplayed()).isEqualTo(db.wal().appendedLsn());
            assertThat(db.read(workload::dump)).as("full replay, seed %d", seed).isEqualTo(live);
            db.checkpoint();
            for (int i = 0; i < 200; i++) {
                workload.step(db);
            }
            live = db.read(workload::dump);
        }
        try (GraphDatabase db = GraphDatabase.open(config(0, 2))) {
            ReplayReport report = db.lastReplay();
            assertThat(report.snapshotLsn()).as("seed %d", seed).isPositive();
            assertThat(report.recordsReplayed()).isEqualTo(db.wal().appendedLsn() - report.snapshotLsn());
            assertThat(db.read(workload::dump)).as("snapshot plus tail, seed %d", seed).isEqualTo(live);
        }
    }

    @Test
    void refusesToOpenWhenTheLogWasPurgedAndNoSnapshotCoversItsStart() {
        RandomGraphWorkload workload = new RandomGraphWorkload(5);
        try (GraphDatabase db = GraphDatabase.open(config(0, 1))) {
            for (int i = 0; i < 300; i++) {
                workload.step(db);
            }
            assertThat(db.checkpoint().segmentsPurged()).isPositive();
        }
        deleteSnapshots();
        assertThatThrownBy(() -> GraphDatabase.open(config(0, 1))).isInstanceOf(ReplayException.class)
                .hasMessageContaining("No usable snapshot").hasMessageContaining("starts at LSN");
        try (GraphDatabase reopened = GraphDatabase.open(config(0, 1))) {
            throw new AssertionError("opened although refused before");
        } catch (ReplayException expected) {
            // the refusal released the directory lock, so a second attempt gets the same answer
            assertThat(expected).hasMessageContaining("No usable snapshot");
        }
    }

    @Test
    void anUnreadableNewestSnapshotFallsBackToAnOlderOneAndALongerTail() throws IOException {
        RandomGraphWorkload workload = new RandomGraphWorkload(42);
        String live;
        try (GraphDatabase db = GraphDatabase.open(config(0, 2))) {
            for (int round = 0; round < 3; round++) {
                for (int i = 0; i < 150; i++) {
                    workload.step(db);
                }
                db.checkpoint();
            }
            for (int i = 0; i < 50; i++) {
                workload.step(db);
            }
            live = db.read(workload::dump);
        }
        List<Path> snapshots = SnapshotFiles.list(FileIO.standard(), dir);
        assertThat(snapshots).hasSize(2);
        Path newest = snapshots.get(0);
        byte[] bytes = Files.readAllBytes(newest);
        bytes[bytes.length / 2] ^= 0x40;
        Files.write(newest, bytes);
        try (GraphDatabase db = GraphDatabase.open(config(0, 2))) {
            ReplayReport report = db.lastReplay();
            assertThat(report.snapshotsSkipped()).isEqualTo(1);
            assertThat(report.snapshotLsn()).isEqualTo(SnapshotFiles.parseFileName(snapshots.get(1).getFileName()
                    .toString()));
            assertThat(db.read(workload::dump)).isEqualTo(live);
        }
    }

    @Test
    void checkpointsPurgeTheLogBehindTheOldestRetainedSnapshotAndReopenExactly() throws IOException {
        RandomGraphWorkload workload = new RandomGraphWorkload(7);
        String live;
        try (GraphDatabase db = GraphDatabase.open(config(0, 1))) {
            for (int i = 0; i < 400; i++) {
                workload.step(db);
            }
            int segmentsBefore = db.wal().status().segmentCount();
            CheckpointReport report = db.checkpoint();
            assertThat(report.segmentsPurged()).isPositive();
            assertThat(db.wal().status().segmentCount()).isLessThan(segmentsBefore);
            assertThat(db.wal().firstLsn()).isLessThanOrEqualTo(report.lsn() + 1);
            assertThat(report.bytes()).isEqualTo(Files.size(report.file()));
            for (int i = 0; i < 100; i++) {
                workload.step(db);
            }
            live = db.read(workload::dump);
        }
        try (GraphDatabase db = GraphDatabase.open(config(0, 1))) {
            assertThat(db.read(workload::dump)).isEqualTo(live);
        }
    }

    @Test
    void aFrozenImageIgnoresCommitsMadeWhileItIsWritten() throws IOException {
        RandomGraphWorkload workload = new RandomGraphWorkload(11);
        try (GraphDatabase db = GraphDatabase.open(config(0, 2))) {
            for (int i = 0; i < 300; i++) {
                workload.step(db);
            }
            String atFreeze = db.read(workload::dump);
            Path file;
            try (StoreImage image = db.graph().freeze()) {
                for (int i = 0; i < 300; i++) {
                    workload.step(db);
                }
                assertThat(db.read(workload::dump)).isNotEqualTo(atFreeze);
                db.wal().flush();
                file = GraphSnapshots.write(FileIO.standard(), dir, image).path();
            }
            var loaded = GraphSnapshots.read(FileIO.standard(), file);
            io.graphwal.graph.Graph copy = new io.graphwal.graph.Graph(loaded, new MemoryTransactionLog(false, true));
            assertThat(copy.read(workload::dump)).isEqualTo(atFreeze);
        }
    }

    @Test
    void automaticCheckpointsRunEveryNCommitsOnTheCheckpointThread() {
        try (GraphDatabase db = GraphDatabase.open(config(50, 2))) {
            for (int i = 0; i < 120; i++) {
                db.commit(tx -> tx.createNode(List.of("N"), Map.of("i", 1)));
            }
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (db.lastCheckpoint() == null && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertThat(db.lastCheckpoint()).isNotNull();
            assertThat(db.lastCheckpoint().lsn()).isGreaterThanOrEqualTo(50);
        }
    }

    @Test
    void checkpointListenersHearEveryCheckpointAndOneThatThrowsDoesNotFailIt() {
        List<CheckpointReport> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (GraphDatabase db = GraphDatabase.open(config(0, 2))) {
            db.addCheckpointListener(report -> {
                throw new IllegalStateException("listener failure");
            });
            db.addCheckpointListener(heard::add);
            db.commit(tx -> tx.createNode(List.of("N"), Map.of()));
            CheckpointReport first = db.checkpoint();
            db.commit(tx -> tx.createNode(List.of("N"), Map.of()));
            CheckpointReport second = db.checkpoint();
            assertThat(heard).containsExactly(first, second);
            assertThat(second.lsn()).isEqualTo(2);
        }
    }

    private void deleteSnapshots() {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path path : files.filter(p -> p.getFileName().toString().endsWith(".snap")).toList()) {
                Files.delete(path);
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
