package io.graphwal.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The store applies a transaction from its logged bytes: it builds what the decoded mutations describe, and
 * refuses exactly the payloads that {@link MutationCodec#decode} refuses, with no other kind of exception.
 */
class TransactionApplierTest {

    @Test
    void aTransactionAppliedFromItsBytesBuildsWhatItsMutationsDescribe() {
        GraphStore store = new GraphStore();
        store.apply(1, ByteBuffer.wrap(MutationCodec.encode(sample())));

        assertThat(store.nodeCount()).isEqualTo(2);
        assertThat(store.relationshipCount()).isEqualTo(1);
        Node ann = store.node(0);
        assertThat(ann.labels()).containsExactly("City", "Person");
        assertThat(ann.properties()).containsOnlyKeys("name", "age", "tags", "score");
        assertThat(ann.properties()).containsEntry("name", "Zoë").containsEntry("age", 7L)
                .containsEntry("tags", List.of("a", "ü")).containsEntry("score", 2.5);
        assertThat((byte[]) store.node(1).properties().get("photo")).containsExactly(9, 8, 7);
        Relationship knows = store.relationship(0);
        assertThat(knows.type()).isEqualTo("KNOWS");
        assertThat(knows.startNode()).isZero();
        assertThat(knows.endNode()).isEqualTo(1);
        assertThat(knows.properties()).containsExactly(Map.entry("since", 2001L));
        assertThat(store.nodeIdsWithProperty("Person", "name", "Zoë")).containsExactly(0);
        assertThat(store.hasIndex("Person", "name")).isTrue();
    }

    @Test
    void propertiesGivenInAnyOrderMakeTheSameBlock() {
        Map<String, Object> forward = new LinkedHashMap<>();
        forward.put("a", 1L);
        forward.put("b", "two");
        forward.put("c", List.of(true));
        Map<String, Object> backward = new LinkedHashMap<>();
        backward.put("c", List.of(true));
        backward.put("b", "two");
        backward.put("a", 1L);
        GraphStore store = new GraphStore();
        store.apply(1, List.of(new Mutation.CreateNode(0, List.of("X"), forward),
                new Mutation.CreateNode(1, List.of("X"), backward)));

        assertThat(store.nodeProperties.get(1)).containsExactly(store.nodeProperties.get(0));
        assertThat(store.node(1).properties()).isEqualTo(store.node(0).properties());
    }

    /** Found by fuzzing: a huge id used to overflow the columns' chunk index instead of being refused. */
    @Test
    void anIdBeyondTheStoresLimitIsRefusedAsNotFittingTheStore() {
        GraphStore store = new GraphStore();
        store.apply(1, List.of(new Mutation.CreateNode(0, List.of("A"), Map.of())));

        for (long id : new long[] {GraphStore.MAX_ID, 0x0A00_0000_0000_0000L, Long.MAX_VALUE}) {
            assertThatThrownBy(() -> store.apply(2, List.of(new Mutation.CreateNode(id, List.of(), Map.of()))))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("node " + id);
            assertThatThrownBy(() -> store.apply(2, List.of(new Mutation.CreateRelationship(id, "T", 0, 0,
                    Map.of())))).isInstanceOf(IllegalStateException.class).hasMessageContaining("relationship " + id);
        }
        assertThat(store.nodeCount()).isOne();
        assertThat(store.relationshipCount()).isZero();
    }

    @Test
    void repeatedLabelsCountOnce() {
        GraphStore store = new GraphStore();
        store.apply(1, List.of(new Mutation.CreateNode(0, List.of("B", "A", "B"), Map.of())));

        assertThat(store.node(0).labels()).containsExactly("A", "B");
        assertThat(store.labelCounts()).containsExactly(Map.entry("A", 1L), Map.entry("B", 1L));
    }

    @Test
    void removingANeverUsedKeyOrLabelFromAMissingNodeNamesIt() {
        GraphStore store = new GraphStore();
        assertThatThrownBy(() -> store.apply(1, List.of(new Mutation.RemoveNodeProperty(5, "ghost"))))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("'ghost'")
                .hasMessageContaining("node 5");
        assertThatThrownBy(() -> store.apply(1, List.of(new Mutation.RemoveLabel(6, "Spectre"))))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("'Spectre'")
                .hasMessageContaining("node 6");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.graphwal.graph.MutationCodecTest#malformed")
    void theHandMadeDamagedPayloadsAreMalformed(String name, String hex) {
        byte[] payload = HexFormat.ofDelimiter(" ").parseHex(hex);
        Throwable thrown = catchThrowable(() -> new GraphStore().apply(1, ByteBuffer.wrap(payload)));
        assertThat(thrown).isInstanceOf(MalformedDataException.class);
        assertThat(thrown.getMessage()).isNotBlank();
    }

    @Test
    void damagedPayloadsAreRefusedWhenTheDecoderRefusesThemAndOnlyWithTheStoresTwoExceptions() {
        long seed = LoggedGraph.seed("TransactionApplierTest.damagedPayloads");
        Random random = new Random(seed);
        byte[] valid = MutationCodec.encode(sample());
        new GraphStore().apply(1, ByteBuffer.wrap(valid));
        int refused = 0;
        int rounds = LoggedGraph.scaled(3_000);
        for (int round = 0; round < rounds; round++) {
            byte[] damaged = valid.clone();
            int flips = 1 + random.nextInt(4);
            for (int i = 0; i < flips; i++) {
                int at = random.nextInt(damaged.length);
                damaged[at] = random.nextBoolean() ? (byte) (damaged[at] ^ (1 << random.nextInt(8)))
                        : (byte) random.nextInt(256);
            }
            if (random.nextInt(4) == 0) {
                damaged = Arrays.copyOf(damaged, random.nextInt(damaged.length + 1));
            }
            byte[] input = damaged;
            Throwable decoding = catchThrowable(() -> MutationCodec.decode(ByteBuffer.wrap(input)));
            Throwable applying = catchThrowable(() -> new GraphStore().apply(1, ByteBuffer.wrap(input)));
            String context = "seed " + seed + ", round " + round + ", payload " + HexFormat.of().formatHex(input);
            if (applying != null && !(applying instanceof MalformedDataException)
                    && !(applying instanceof IllegalStateException)) {
                throw new AssertionError(context + ": applying threw " + applying, applying);
            }
            if (decoding != null) {
                assertThat(applying).as(context + ": the decoder refused it").isNotNull();
                refused++;
            } else if (applying != null) {
                assertThat(applying).as(context + ": it decodes, so only the store can refuse it")
                        .isInstanceOf(IllegalStateException.class);
            }
        }
        assertThat(refused).as("most damage is detected").isGreaterThan(rounds / 3);
    }

    /** A transaction that applies to an empty store, with several value types and an index. */
    private static List<Mutation> sample() {
        Map<String, Object> ann = new LinkedHashMap<>();
        ann.put("name", "Zoë");
        ann.put("age", 41L);
        ann.put("tags", List.of("a", "ü"));
        return List.of(
                new Mutation.CreateIndex("Person", "name"),
                new Mutation.CreateNode(0, List.of("Person", "City"), ann),
                new Mutation.CreateNode(1, List.of(), Map.of("photo", new byte[] {9, 8, 7})),
                new Mutation.CreateRelationship(0, "KNOWS", 0, 1, Map.of("since", 2001L)),
                new Mutation.SetNodeProperty(0, "age", 7L),
                new Mutation.SetNodeProperty(0, "score", 2.5),
                new Mutation.RemoveNodeProperty(0, "never"),
                new Mutation.AddLabel(1, "Robot"),
                new Mutation.RemoveLabel(1, "Robot"),
                new Mutation.SetRelationshipProperty(0, "weight", -1.0),
                new Mutation.RemoveRelationshipProperty(0, "weight"),
                new Mutation.CreateIndex("City", "age"),
                new Mutation.DropIndex("City", "age"));
    }
}
