package io.graphwal.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import io.graphwal.wal.LogWriter;
import io.graphwal.wal.SyncMode;
import io.graphwal.wal.WalConfig;
import io.graphwal.wal.WalPoisonedException;
import io.graphwal.wal.WriteAheadLog;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A transaction that is in the log but fails to apply part way (here an {@link OutOfMemoryError} after half of
 * its changes, as a real one struck in {@code LabelSets} before labels were freed) is never visible: the
 * graph refuses reads, commits and checkpoints from then on, the log is poisoned with the cause, and a
 * restart replays the transaction whole.
 */
class ApplyFailureTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(SyncMode.class)
    void aLoggedTransactionThatFailsToApplyIsNeverSeenAndIsReplayedWholeAtRestart(SyncMode mode) {
        AtomicBoolean failNext = new AtomicBoolean();
        long node;
        try (LogWriter writer = LogWriter.open(WalConfig.builder(dir).syncMode(mode).build())) {
            WriteAheadLog wal = writer.log();
            GraphStore store = new GraphStore();
            Graph graph = new Graph(store, LoggedGraph.over(writer), (lsn, payload) -> {
                if (failNext.get()) {
                    List<Mutation> all = MutationCodec.decode(payload);
                    store.apply(lsn, all.subList(0, all.size() / 2));
                    throw new OutOfMemoryError("injected: Java heap space");
                }
                store.apply(lsn, payload);
            });
            node = graph.commit(tx -> tx.createNode(List.of("Start"), Map.of())).value();

            failNext.set(true);
            assertThatThrownBy(() -> graph.commit(tx -> {
                for (int i = 0; i < 10; i++) {
                    tx.addLabel(node, "L" + i);
                }
                return null;
            })).isInstanceOf(GraphFailedException.class).hasMessageContaining("LSN 2")
                    .hasCauseInstanceOf(OutOfMemoryError.class);

            assertThat(graph.failure()).isNotNull();
            assertThatThrownBy(() -> graph.read(view -> view.node(node))).as("the half-applied state is not shown")
                    .isInstanceOf(GraphFailedException.class);
            assertThatThrownBy(graph::freeze).as("no checkpoint records it").isInstanceOf(GraphFailedException.class);
            assertThatThrownBy(() -> graph.commit(tx -> tx.createNode(List.of(), Map.of())))
                    .isInstanceOf(GraphFailedException.class);
            assertThat(wal.poison()).as("the log refuses later commits too").isNotNull();
            assertThat(wal.poison().operation()).isEqualTo("apply of LSN 2 to the graph");
            assertThat(wal.durableLsn()).as("everything written was made durable first").isEqualTo(2);
            assertThatThrownBy(wal::flush).isInstanceOf(WalPoisonedException.class);
        }

        try (LogWriter writer = LogWriter.open(WalConfig.builder(dir).syncMode(mode).build())) {
            GraphStore replayed = LoggedGraph.replay(writer.log());
            List<String> labels = new ArrayList<>(List.of("Start"));
            for (int i = 0; i < 10; i++) {
                labels.add("L" + i);
            }
            labels.sort(null);
            assertThat(replayed.node(node).labels()).as("replayed whole").isEqualTo(labels);
            assertThat(replayed.appliedLsn()).isEqualTo(2);
        }
    }
}
