package io.graphwal.graph;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzzes the applier, which decodes logged transactions straight into the store for replay and live commits
 * alike. Any bytes, applied to a store holding a small graph, either apply or are refused with a
 * {@link MalformedDataException} (bad bytes) or an {@link IllegalStateException} (a mutation that does not
 * fit the store); any other exception, a hang or an out-of-memory is a finding. Bytes that
 * {@link MutationCodec#decode} accepts are never refused as malformed, and the outcome is the same on a
 * second store built the same way (the applier keeps caches between transactions; they must not leak state).
 *
 * <p>{@code mvn verify} replays the saved inputs under
 * {@code src/test/resources/io/graphwal/graph/TransactionApplierFuzzTestInputs} (seeded with the mutation
 * codec's corpus); {@code JAZZER_FUZZ=1} fuzzes (see docs/reliability.md, section Fuzzing).
 */
class TransactionApplierFuzzTest {

    private enum Outcome {
        APPLIED, MALFORMED, MISFIT
    }

    @FuzzTest(maxDuration = "10m")
    void anyPayloadAppliesOrIsRefusedAsMalformedOrAsNotFittingTheStore(byte[] payload) {
        boolean decodes;
        try {
            MutationCodec.decode(ByteBuffer.wrap(payload));
            decodes = true;
        } catch (MalformedDataException refused) {
            decodes = false;
        }
        Outcome first = applyToSeededStore(payload);
        // Plain checks rather than AssertJ: Jazzer instruments every class the fuzz test loads.
        if (decodes && first == Outcome.MALFORMED) {
            throw new AssertionError("the codec decodes a payload the applier refuses as malformed");
        }
        Outcome second = applyToSeededStore(payload);
        if (first != second) {
            throw new AssertionError("the same payload was " + first + " on one store and " + second
                    + " on an identical one");
        }
    }

    private static Outcome applyToSeededStore(byte[] payload) {
        GraphStore store = seeded();
        try {
            store.apply(2, ByteBuffer.wrap(payload));
            return Outcome.APPLIED;
        } catch (MalformedDataException e) {
            return Outcome.MALFORMED;
        } catch (IllegalStateException e) {
            return Outcome.MISFIT;
        }
    }

    /** Nodes 0 to 3 with labels and properties, and relationships 0 to 2 between them, at LSN 1. */
    private static GraphStore seeded() {
        GraphStore store = new GraphStore();
        store.apply(1, List.of(
                new Mutation.CreateNode(0, List.of("Person"), Map.of("name", "a", "age", 30L)),
                new Mutation.CreateNode(1, List.of("Person", "Admin"), Map.of("name", "b")),
                new Mutation.CreateNode(2, List.of(), Map.of()),
                new Mutation.CreateNode(3, List.of("City"), Map.of("pop", 1.5)),
                new Mutation.CreateRelationship(0, "KNOWS", 0, 1, Map.of("since", 2020L)),
                new Mutation.CreateRelationship(1, "LIVES_IN", 1, 3, Map.of()),
                new Mutation.CreateRelationship(2, "KNOWS", 2, 2, Map.of("w", true))));
        return store;
    }
}
