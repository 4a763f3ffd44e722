package io.graphwal.graph;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A transaction's property changes are gathered per entity and merged into its block at the end of the
 * transaction. These tests check that the result is what applying them one by one would give: the last change
 * of a key wins, removals remove, and property indexes created, and labels added or removed, earlier in the
 * same transaction end up pointing at the new values.
 */
class PropertyEditsTest {

    private static final List<String> LABELS = List.of("A", "B");
    private static final List<String> KEYS = List.of("k1", "k2", "k3");

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void mergedChangesEqualChangesMadeOneByOneAndIndexesFollowThem(long seed) {
        System.out.println("PropertyEditsTest seed=" + seed);
        Random random = new Random(seed);
        GraphStore store = new GraphStore();
        int nodes = 6;
        List<Mutation> create = new ArrayList<>();
        for (int n = 0; n < nodes; n++) {
            create.add(new Mutation.CreateNode(n, List.of(LABELS.get(n % 2)), Map.of("k1", (long) (n % 3))));
        }
        create.add(new Mutation.CreateRelationship(0, "R", 0, 1, Map.of("k1", 1L)));
        store.apply(1, create);
        // The model: what one-by-one application gives.
        List<Map<String, Object>> model = new ArrayList<>();
        List<List<String>> labels = new ArrayList<>();
        for (int n = 0; n < nodes; n++) {
            model.add(new HashMap<>(Map.of("k1", (long) (n % 3))));
            labels.add(new ArrayList<>(List.of(LABELS.get(n % 2))));
        }
        Map<String, Object> relationship = new HashMap<>(Map.of("k1", 1L));

        for (long lsn = 2; lsn < 60; lsn++) {
            List<Mutation> tx = new ArrayList<>();
            int changes = 1 + random.nextInt(12);
            for (int i = 0; i < changes; i++) {
                int n = random.nextInt(nodes);
                String key = KEYS.get(random.nextInt(KEYS.size()));
                String label = LABELS.get(random.nextInt(LABELS.size()));
                switch (random.nextInt(7)) {
                    case 0, 1 -> {
                        long value = random.nextInt(3);
                        tx.add(new Mutation.SetNodeProperty(n, key, value));
                        model.get(n).put(key, value);
                    }
                    case 2 -> {
                        tx.add(new Mutation.RemoveNodeProperty(n, key));
                        model.get(n).remove(key);
                    }
                    case 3 -> {
                        tx.add(new Mutation.AddLabel(n, label));
                        if (!labels.get(n).contains(label)) {
                            labels.get(n).add(label);
                        }
                    }
                    case 4 -> {
                        tx.add(new Mutation.RemoveLabel(n, label));
                        labels.get(n).remove(label);
                    }
                    case 5 -> tx.add(random.nextBoolean() ? new Mutation.CreateIndex(label, key)
                            : new Mutation.DropIndex(label, key));
                    default -> {
                        String value = "v" + random.nextInt(3);
                        tx.add(new Mutation.SetRelationshipProperty(0, key, value));
                        relationship.put(key, value);
                    }
                }
            }
            store.apply(lsn, tx);

            for (int n = 0; n < nodes; n++) {
                assertThat(new TreeMap<>(store.node(n).properties())).as("seed %d lsn %d node %d", seed, lsn, n)
                        .isEqualTo(new TreeMap<>(model.get(n)));
            }
            assertThat(new TreeMap<>(store.relationship(0).properties())).isEqualTo(new TreeMap<>(relationship));
            for (String label : LABELS) {
                for (String key : KEYS) {
                    for (long value = 0; value < 3; value++) {
                        List<Long> expected = new ArrayList<>();
                        for (int n = 0; n < nodes; n++) {
                            if (labels.get(n).contains(label) && Long.valueOf(value).equals(model.get(n).get(key))) {
                                expected.add((long) n);
                            }
                        }
                        long[] found = store.nodeIdsWithProperty(label, key, value);
                        assertThat(Arrays.stream(found).boxed().toList())
                                .as("seed %d lsn %d: %s.%s = %d (indexed: %s)", seed, lsn, label, key, value,
                                        store.hasIndex(label, key))
                                .isEqualTo(expected);
                    }
                }
            }
        }
    }

    @Test
    void aPropertySetAndThenDeletedWithItsNodeOrRelationshipInOneTransactionLeavesNothingBehind() {
        GraphStore store = new GraphStore();
        store.apply(1, List.of(new Mutation.CreateIndex("A", "k"),
                new Mutation.CreateNode(0, List.of("A"), Map.of("k", 1L)),
                new Mutation.CreateNode(1, List.of("A"), Map.of()),
                new Mutation.CreateRelationship(0, "R", 1, 1, Map.of())));
        store.apply(2, List.of(new Mutation.SetNodeProperty(0, "k", 2L), new Mutation.DeleteNode(0),
                new Mutation.SetRelationshipProperty(0, "p", 1L), new Mutation.SetNodeProperty(1, "k", 3L),
                new Mutation.DetachDeleteNode(1)));

        assertThat(store.nodeCount()).isZero();
        assertThat(store.relationshipCount()).isZero();
        for (long value = 1; value <= 3; value++) {
            assertThat(store.nodeIdsWithProperty("A", "k", value)).isEmpty();
        }
    }
}
