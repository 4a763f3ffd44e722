package io.graphwal.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.graphwal.io.FileIO;
import io.graphwal.snapshot.GraphSnapshots;
import io.graphwal.snapshot.SnapshotCorruptException;
import io.graphwal.snapshot.SnapshotFiles;

/**
 * A snapshot loads back to the store it was taken from, relationship lists in order, and a body whose checksums
 * are right but whose relationships point at missing nodes is refused as corrupt, naming the relationship.
 */
class StoreImageTest {

    @TempDir
    Path dir;

    @Test
    void aSnapshotLoadsBackWithItsListsInOrderAndItsDeletedNodesGone() throws IOException {
        GraphStore store = sample();

        GraphStore loaded = roundTrip(store);

        assertThat(loaded.nodeCount()).isEqualTo(3);
        assertThat(loaded.relationshipCount()).isEqualTo(3);
        assertThat(loaded.relationshipIds(0, Direction.OUTGOING, null).toArray()).containsExactly(3, 0);
        assertThat(loaded.relationshipIds(2, Direction.INCOMING, null).toArray()).containsExactly(3, 0);
        assertThat(loaded.relationshipIds(2, Direction.BOTH, null).toArray()).containsExactly(2, 3, 0);
        assertThat(loaded.nodeExists(1)).isFalse();
        assertThat(loaded.nodeIdsWithLabel("P")).containsExactly(0, 2, 3);
        // The loaded store keeps working: a deleted node cannot be linked, a live one can.
        assertThatThrownBy(() -> loaded.apply(9, List.of(new Mutation.CreateRelationship(4, "R", 1, 0, Map.of()))))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("node 1 does not exist");
        loaded.apply(9, List.of(new Mutation.CreateRelationship(4, "R", 3, 0, Map.of())));
        assertThat(loaded.relationshipIds(0, Direction.INCOMING, null).toArray()).containsExactly(4);
    }

    @Test
    void aRelationshipStartingAtADeletedNodeIsCorruption() throws IOException {
        GraphStore store = sample();
        store.relStart.set(2, 1);

        assertThatThrownBy(() -> roundTrip(store)).isInstanceOf(SnapshotCorruptException.class)
                .hasMessageContaining("relationship 2 has a missing endpoint");
    }

    @Test
    void aRelationshipEndingBeyondEveryNodeIsCorruption() throws IOException {
        GraphStore store = sample();
        store.relEnd.set(3, 1_000_000);

        assertThatThrownBy(() -> roundTrip(store)).isInstanceOf(SnapshotCorruptException.class)
                .hasMessageContaining("relationship 3 has a missing endpoint");
    }

    /** Nodes 0..3 labelled P, node 1 deleted with its relationship; relationships 0, 2 and 3 left. */
    private static GraphStore sample() {
        GraphStore store = new GraphStore();
        store.apply(1, List.of(
                new Mutation.CreateNode(0, List.of("P"), Map.of("k", 1L)),
                new Mutation.CreateNode(1, List.of("P"), Map.of()),
                new Mutation.CreateNode(2, List.of("P"), Map.of()),
                new Mutation.CreateNode(3, List.of("P"), Map.of()),
                new Mutation.CreateRelationship(0, "R", 0, 2, Map.of()),
                new Mutation.CreateRelationship(1, "R", 1, 2, Map.of()),
                new Mutation.CreateRelationship(2, "R", 2, 3, Map.of("w", 2.0)),
                new Mutation.CreateRelationship(3, "R", 0, 2, Map.of())));
        store.apply(2, List.of(new Mutation.DetachDeleteNode(1)));
        return store;
    }

    private GraphStore roundTrip(GraphStore store) throws IOException {
        // No graph: the image is never closed, so nothing needs thawing.
        StoreImage image = new StoreImage(null, store);
        SnapshotFiles.Written written = GraphSnapshots.write(FileIO.standard(), dir, image);
        return GraphSnapshots.read(FileIO.standard(), written.path());
    }
}
