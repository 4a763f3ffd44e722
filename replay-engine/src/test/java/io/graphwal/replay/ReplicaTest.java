package io.graphwal.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.graphwal.archive.ArchiveConfig;
import io.graphwal.archive.DirectoryArchiveTarget;
import io.graphwal.graph.GraphValidationException;
import io.graphwal.graph.Mutation;
import io.graphwal.graph.MutationCodec;
import io.graphwal.wal.SyncMode;
import io.graphwal.wal.WalConfig;
import io.graphwal.wal.WalReader;

/**
 * A read replica fed its leader's transactions rebuilds the leader's graph under the same LSNs, in a log of
 * its own that carries the leader's graph id; it refuses gaps, commits and transactions that would not read
 * back, skips redeliveries, and resumes from its own LSN after a restart.
 */
class ReplicaTest {

    private static final Logger log = LoggerFactory.getLogger(ReplicaTest.class);
    private static final Duration BOUND = Duration.ofSeconds(60);

    @TempDir
    Path temp;

    private static WalConfig wal(Path directory, SyncMode mode) {
        return WalConfig.builder(directory).syncMode(mode).segmentSize(8 * 1024).maxRecordSize(2048).build();
    }

    private static DatabaseConfig leader(Path directory) {
        return new DatabaseConfig(wal(directory, SyncMode.GROUP), 0, 2);
    }

    private static DatabaseConfig replica(Path directory, SyncMode mode, Supplier<String> leaderId) {
        return new DatabaseConfig(wal(directory, mode), 0, 2).withReplica(leaderId);
    }

    private static Supplier<String> notAsked() {
        return () -> {
            throw new AssertionError("the leader's id was asked for, though the directory holds a graph");
        };
    }

    /** A leader's run: its graph id, its change feed from LSN 1, and its dump after every LSN (index = LSN). */
    private record LeaderRun(String graphId, List<CommittedTransaction> feed, List<String> dumps,
            RandomGraphWorkload workload) {
    }

    private LeaderRun leaderRun(long seed, int transactions) {
        RandomGraphWorkload workload = new RandomGraphWorkload(seed);
        List<String> dumps = new ArrayList<>();
        List<CommittedTransaction> feed = new CopyOnWriteArrayList<>();
        try (GraphDatabase db = GraphDatabase.open(leader(temp.resolve("leader")));
                ChangeSubscription subscription = db.subscribe("replica-test", 1, feed::add)) {
            dumps.add(db.read(workload::dump));
            for (int i = 1; i <= transactions; i++) {
                workload.step(db);
                dumps.add(db.read(workload::dump));
                if (i % 90 == 0) {
                    db.checkpoint(); // the feed holds the log, so nothing it has yet to read is purged
                }
            }
            db.wal().flush();
            awaitUntil("the feed delivered all " + transactions + " transactions", () -> feed.size() == transactions);
            return new LeaderRun(db.wal().graphId(), List.copyOf(feed), dumps, workload);
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {3L, 1_000_003L, 42_424_242L})
    void aReplicaFedTheLeadersFeedEqualsTheLeaderAtEveryLsn(long seed) {
        log.info("seed {}", seed);
        LeaderRun run = leaderRun(seed, 240);
        try (GraphDatabase replica = GraphDatabase.open(replica(temp.resolve("replica"), SyncMode.GROUP,
                run::graphId))) {
            assertThat(replica.read(run.workload()::dump)).isEqualTo(run.dumps().get(0));
            for (CommittedTransaction transaction : run.feed()) {
                assertThat(replica.applyReplicated(transaction)).isTrue();
                assertThat(replica.read(run.workload()::dump)).as("seed %d, LSN %d", seed, transaction.lsn())
                        .isEqualTo(run.dumps().get((int) transaction.lsn()));
                if (transaction.lsn() % 70 == 0) {
                    replica.checkpoint();
                }
            }
            assertThat(replica.wal().appendedLsn()).isEqualTo(240);
        }
        // What it logged replays to the same graph, with the leader's commit times.
        try (GraphDatabase reopened = GraphDatabase.open(replica(temp.resolve("replica"), SyncMode.GROUP,
                notAsked()))) {
            assertThat(reopened.read(run.workload()::dump)).as("seed %d after restart", seed)
                    .isEqualTo(run.dumps().get(240));
            try (WalReader reader = reopened.wal().reader(reopened.wal().firstLsn())) {
                while (reader.next()) {
                    CommittedTransaction original = run.feed().get((int) reader.lsn() - 1);
                    assertThat(Instant.EPOCH.plusNanos(MutationCodec.commitTimeMicros(reader.payload()) * 1000))
                            .isEqualTo(original.committedAt());
                }
            }
        }
    }

    @Test
    void theReplicasLogCarriesTheLeadersGraphIdAcrossRestarts() {
        LeaderRun run = leaderRun(7, 5);
        Path directory = temp.resolve("replica");
        try (GraphDatabase replica = GraphDatabase.open(replica(directory, SyncMode.GROUP, run::graphId))) {
            assertThat(replica.isReplica()).isTrue();
            assertThat(replica.wal().graphId()).isEqualTo(run.graphId());
            replica.applyReplicated(run.feed().get(0));
        }
        try (GraphDatabase replica = GraphDatabase.open(replica(directory, SyncMode.GROUP, notAsked()))) {
            assertThat(replica.wal().graphId()).isEqualTo(run.graphId());
        }
    }

    @Test
    void aGapIsRefusedNamingTheExpectedAndTheReceivedLsn() {
        LeaderRun run = leaderRun(11, 6);
        try (GraphDatabase replica = GraphDatabase.open(replica(temp.resolve("replica"), SyncMode.GROUP,
                run::graphId))) {
            replica.applyReplicated(run.feed().get(0));
            replica.applyReplicated(run.feed().get(1));
            assertThatThrownBy(() -> replica.applyReplicated(run.feed().get(3)))
                    .isInstanceOfSatisfying(ReplicaGapException.class, gap -> {
                        assertThat(gap.expectedLsn()).isEqualTo(3);
                        assertThat(gap.receivedLsn()).isEqualTo(4);
                    })
                    .hasMessageContaining("LSN 3 next but was given LSN 4");
            assertThat(replica.wal().appendedLsn()).isEqualTo(2);
            assertThat(replica.read(run.workload()::dump)).isEqualTo(run.dumps().get(2));
        }
    }

    @Test
    void aRedeliveredTransactionIsSkippedAndReportedAsSuch() {
        LeaderRun run = leaderRun(13, 4);
        try (GraphDatabase replica = GraphDatabase.open(replica(temp.resolve("replica"), SyncMode.GROUP,
                run::graphId))) {
            replica.applyReplicated(run.feed().get(0));
            replica.applyReplicated(run.feed().get(1));
            assertThat(replica.applyReplicated(run.feed().get(1))).isFalse();
            assertThat(replica.applyReplicated(run.feed().get(0))).isFalse();
            assertThat(replica.wal().appendedLsn()).isEqualTo(2);
            assertThat(replica.applyReplicated(run.feed().get(2))).isTrue();
            assertThat(replica.read(run.workload()::dump)).isEqualTo(run.dumps().get(3));
        }
    }

    @Test
    void aRestartedReplicaResumesFromItsOwnLsn() {
        LeaderRun run = leaderRun(17, 120);
        Path directory = temp.resolve("replica");
        try (GraphDatabase replica = GraphDatabase.open(replica(directory, SyncMode.GROUP, run::graphId))) {
            for (CommittedTransaction transaction : run.feed().subList(0, 50)) {
                replica.applyReplicated(transaction);
            }
            replica.checkpoint();
            for (CommittedTransaction transaction : run.feed().subList(50, 70)) {
                replica.applyReplicated(transaction);
            }
        }
        try (GraphDatabase replica = GraphDatabase.open(replica(directory, SyncMode.GROUP, notAsked()))) {
            assertThat(replica.lastReplay().snapshotLsn()).isEqualTo(50);
            assertThat(replica.wal().appendedLsn()).isEqualTo(70);
            assertThat(replica.read(run.workload()::dump)).isEqualTo(run.dumps().get(70));
            // Fed from the start again, as a consumer that lost its position would: the old ones are skipped.
            for (CommittedTransaction transaction : run.feed()) {
                assertThat(replica.applyReplicated(transaction)).isEqualTo(transaction.lsn() > 70);
            }
            assertThat(replica.read(run.workload()::dump)).isEqualTo(run.dumps().get(120));
        }
    }

    @Test
    void aReplicaRefusesCommitsSayingWritesGoToTheLeader() {
        try (GraphDatabase replica = GraphDatabase.open(replica(temp.resolve("replica"), SyncMode.GROUP,
                () -> "6f1c1f0e-6f55-4a0b-9a43-1d1b5f2a7c11"))) {
            assertThatThrownBy(() -> replica.commit(tx -> tx.createNode(List.of("A"), Map.of())))
                    .isInstanceOf(ReadOnlyReplicaException.class)
                    .hasMessageContaining("read replica").hasMessageContaining("leader");
            assertThat(replica.wal().appendedLsn()).isZero();
        }
    }

    @Test
    void aLeaderRefusesReplicatedTransactions() {
        try (GraphDatabase db = GraphDatabase.open(leader(temp.resolve("leader")))) {
            CommittedTransaction transaction = new CommittedTransaction(1, Instant.now(),
                    List.of(new Mutation.CreateNode(0, List.of(), Map.of())));
            assertThatThrownBy(() -> db.applyReplicated(transaction)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("not a read replica");
        }
    }

    @Test
    void aTransactionThatWouldNotReadBackIsRefusedBeforeItReachesTheLog() {
        Path directory = temp.resolve("replica");
        Instant at = Instant.parse("2026-12-02T18:40:00.123456Z");
        try (GraphDatabase replica = GraphDatabase.open(replica(directory, SyncMode.PER_COMMIT,
                () -> "6f1c1f0e-6f55-4a0b-9a43-1d1b5f2a7c11"))) {
            assertThat(replica.applyReplicated(new CommittedTransaction(1, at,
                    List.of(new Mutation.CreateNode(4, List.of("Person"), Map.of("name", "Ada")))))).isTrue();
            List<List<Mutation>> malformed = List.of(
                    List.of(new Mutation.CreateRelationship(0, "KNOWS", 4, 9, Map.of())),
                    List.of(new Mutation.CreateNode(3, List.of(), Map.of())),
                    List.of(new Mutation.CreateNode(5, List.of(""), Map.of())),
                    List.of(new Mutation.SetNodeProperty(4, "photo", new Object())),
                    List.of(new Mutation.SetNodeProperty(4, "photo", null)),
                    List.of(new Mutation.DeleteRelationship(0)),
                    List.of(new Mutation.SetNodeProperty(4, "blob", "x".repeat(4096))),
                    List.of());
            for (List<Mutation> mutations : malformed) {
                assertThatThrownBy(() -> replica.applyReplicated(new CommittedTransaction(2, at, mutations)))
                        .as("%s", mutations).isInstanceOf(RuntimeException.class);
                assertThat(replica.wal().appendedLsn()).as("%s", mutations).isEqualTo(1);
            }
            assertThat(replica.applyReplicated(new CommittedTransaction(2, at,
                    List.of(new Mutation.CreateNode(5, List.of(), Map.of()))))).isTrue();
            // per-commit: durable before the call returned
            assertThat(replica.wal().durableLsn()).isEqualTo(2);
        }
        try (GraphDatabase reopened = GraphDatabase.open(replica(directory, SyncMode.PER_COMMIT, notAsked()))) {
            assertThat(reopened.wal().appendedLsn()).isEqualTo(2);
            long nodes = reopened.read(v -> v.nodeCount());
            Map<String, Object> properties = reopened.read(v -> v.node(4).orElseThrow().properties());
            assertThat(nodes).isEqualTo(2);
            assertThat(properties).isEqualTo(Map.of("name", "Ada"));
        }
    }

    @Test
    void aRefusedCreateSaysTheIdIsAlreadyUsed() {
        try (GraphDatabase replica = GraphDatabase.open(replica(temp.resolve("replica"), SyncMode.GROUP,
                () -> "6f1c1f0e-6f55-4a0b-9a43-1d1b5f2a7c11"))) {
            replica.applyReplicated(new CommittedTransaction(1, null,
                    List.of(new Mutation.CreateNode(2, List.of(), Map.of()))));
            assertThatThrownBy(() -> replica.applyReplicated(new CommittedTransaction(2, null,
                    List.of(new Mutation.CreateNode(1, List.of(), Map.of())))))
                    .isInstanceOf(GraphValidationException.class).hasMessageContaining("node 1")
                    .hasMessageContaining("below 3");
        }
    }

    @ParameterizedTest
    @EnumSource(SyncMode.class)
    void anEmptyReplicaWithAnArchiveBootstrapsFromItAndNeverArchives(SyncMode mode) throws Exception {
        LeaderRun run = leaderRun(19, 60);
        Path archive = temp.resolve("archive");
        DirectoryArchiveTarget target = new DirectoryArchiveTarget(archive);
        // An archive of the leader at LSN 40: a leader archiving as it ran, cut short.
        Path archived = temp.resolve("archived-leader");
        try (GraphDatabase db = GraphDatabase.open(leader(archived).withArchive(ArchiveConfig.of(target), false))) {
            for (CommittedTransaction transaction : run.feed().subList(0, 40)) {
                db.commit(tx -> {
                    for (Mutation mutation : transaction.mutations()) {
                        replayThroughApi(tx, mutation);
                    }
                    return null;
                });
            }
            db.wal().flush();
            assertThat(db.archiver().awaitArchived(40, BOUND)).isTrue();
        }
        try (GraphDatabase replica = GraphDatabase.open(replica(temp.resolve("replica"), mode, notAsked())
                .withArchive(ArchiveConfig.of(target), false))) {
            assertThat(replica.archiver()).isNull();
            assertThat(replica.wal().appendedLsn()).isEqualTo(40);
            for (CommittedTransaction transaction : run.feed()) {
                replica.applyReplicated(transaction);
            }
            assertThat(replica.read(run.workload()::dump)).isEqualTo(run.dumps().get(60));
        }
    }

    /** Makes a logged mutation through the public API, for a leader rebuilt from another leader's feed. */
    private static void replayThroughApi(io.graphwal.graph.Transaction tx, Mutation mutation) {
        if (mutation instanceof Mutation.CreateNode create) {
            assertThat(tx.createNode(create.labels(), create.properties())).isEqualTo(create.id());
        } else if (mutation instanceof Mutation.CreateRelationship create) {
            assertThat(tx.createRelationship(create.startNode(), create.endNode(), create.type(),
                    create.properties())).isEqualTo(create.id());
        } else if (mutation instanceof Mutation.SetNodeProperty set) {
            tx.setNodeProperty(set.node(), set.key(), set.value());
        } else if (mutation instanceof Mutation.RemoveNodeProperty remove) {
            tx.removeNodeProperty(remove.node(), remove.key());
        } else if (mutation instanceof Mutation.AddLabel add) {
            tx.addLabel(add.node(), add.label());
        } else if (mutation instanceof Mutation.RemoveLabel remove) {
            tx.removeLabel(remove.node(), remove.label());
        } else if (mutation instanceof Mutation.SetRelationshipProperty set) {
            tx.setRelationshipProperty(set.relationship(), set.key(), set.value());
        } else if (mutation instanceof Mutation.RemoveRelationshipProperty remove) {
            tx.removeRelationshipProperty(remove.relationship(), remove.key());
        } else if (mutation instanceof Mutation.DeleteRelationship delete) {
            tx.deleteRelationship(delete.relationship());
        } else if (mutation instanceof Mutation.DeleteNode delete) {
            tx.deleteNode(delete.node());
        } else if (mutation instanceof Mutation.DetachDeleteNode delete) {
            tx.detachDeleteNode(delete.node());
        } else if (mutation instanceof Mutation.CreateIndex create) {
            tx.createIndex(create.label(), create.key());
        } else if (mutation instanceof Mutation.DropIndex drop) {
            tx.dropIndex(drop.label(), drop.key());
        }
    }

    private static void awaitUntil(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + BOUND.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Timed out after " + BOUND + " waiting until " + what);
            }
            LockSupport.parkNanos(1_000_000);
        }
    }
}
