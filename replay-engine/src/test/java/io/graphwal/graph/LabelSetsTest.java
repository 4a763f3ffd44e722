package io.graphwal.graph;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.graphwal.io.FileIO;
import io.graphwal.snapshot.GraphSnapshots;
import io.graphwal.snapshot.SnapshotFiles;

/**
 * Label sets no node uses are freed, so adding labels one at a time (each step a new set) keeps the table as
 * small as the combinations in use, in memory and in snapshots. Before, a node given 20,000 labels one by one
 * left 20,000 sets of up to 20,000 ids behind, enough to exhaust a 256 MB heap.
 */
class LabelSetsTest {

    @TempDir
    Path dir;

    @Test
    void addingLabelsOneAtATimeKeepsOnlyTheSetsInUse() {
        GraphStore store = new GraphStore();
        List<Mutation> mutations = new ArrayList<>();
        mutations.add(new Mutation.CreateNode(0, List.of(), Map.of()));
        mutations.add(new Mutation.CreateNode(1, List.of("Shared"), Map.of()));
        for (int i = 0; i < 1000; i++) {
            mutations.add(new Mutation.AddLabel(0, "L" + i));
        }
        store.apply(1, mutations);

        assertThat(store.node(0).labels()).hasSize(1000);
        assertThat(store.labelSets.live()).as("the empty set, {Shared} and node 0's set").isEqualTo(3);
    }

    @Test
    void freedIdsAreReusedAndASnapshotHoldsOnlyTheSetsInUse() throws IOException {
        GraphStore store = new GraphStore();
        store.apply(1, List.of(new Mutation.CreateNode(0, List.of("A"), Map.of()),
                new Mutation.CreateNode(1, List.of("A", "B"), Map.of()),
                new Mutation.CreateNode(2, List.of("C"), Map.of())));
        int sizeBefore = store.labelSets.size();
        store.apply(2, List.of(new Mutation.RemoveLabel(1, "B"), new Mutation.DeleteNode(2)));
        assertThat(store.labelSets.live()).as("the empty set and {A}").isEqualTo(2);
        store.apply(3, List.of(new Mutation.CreateNode(3, List.of("D", "E"), Map.of())));
        assertThat(store.labelSets.size()).as("a freed id was reused").isEqualTo(sizeBefore);

        // An image of a bare store, as StoreImageTest takes one: nothing to thaw, so it is never closed.
        StoreImage image = new StoreImage(null, store);
        GraphSnapshots.write(FileIO.standard(), dir, image);
        GraphStore loaded = GraphSnapshots.read(FileIO.standard(), dir.resolve(SnapshotFiles.fileName(3)));
        assertThat(loaded.labelSets.live()).isEqualTo(3);
        assertThat(loaded.labelSets.size()).as("renumbered densely").isEqualTo(3);
        for (long id : new long[] {0, 1, 3}) {
            assertThat(loaded.node(id)).isEqualTo(store.node(id));
        }
        assertThat(loaded.node(2)).isNull();
        assertThat(loaded.labelCounts()).isEqualTo(store.labelCounts());
    }
}
