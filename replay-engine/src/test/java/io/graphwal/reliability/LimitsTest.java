package io.graphwal.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import io.graphwal.graph.GraphLimits;
import io.graphwal.graph.GraphValidationException;
import io.graphwal.graph.GraphView;
import io.graphwal.graph.Mutation;
import io.graphwal.graph.MutationCodec;
import io.graphwal.graph.Node;
import io.graphwal.graph.Relationship;
import io.graphwal.graph.Transaction;
import io.graphwal.replay.DatabaseConfig;
import io.graphwal.replay.GraphDatabase;
import io.graphwal.tool.ToolRunner;
import io.graphwal.wal.SyncMode;
import io.graphwal.wal.WalConfig;
import io.graphwal.wal.WalRecordTooLargeException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The limits suite: every documented input dimension of {@link GraphLimits} pushed to its limit, which commits
 * and is read back whole by every reader (full replay of the log, the checkpoint's own read-back, a start from
 * the snapshot, and {@code wal verify}), and one past it, which is refused before anything is logged with a
 * {@link GraphValidationException} of reason {@code LIMIT} naming the limit. The summary goes to
 * {@code target/reliability/limits.txt}.
 */
class LimitsTest {

    private static final AtomicInteger atLimit = new AtomicInteger();
    private static final AtomicInteger refused = new AtomicInteger();
    private static final AtomicInteger readBack = new AtomicInteger();

    @TempDir
    Path dir;

    @AfterAll
    static void summary() {
        SuiteSummary.write("limits", "at-limit=" + atLimit + " refused-past-limit=" + refused + " read-back="
                + readBack + " (each: full replay, checkpoint read-back, snapshot start, wal verify)");
    }

    @Test
    void namesOfTheLimitAreReadBackAndLongerOnesRefused() {
        String ascii = "k".repeat(GraphLimits.MAX_NAME_BYTES);
        String twoByte = "\u00e9".repeat(GraphLimits.MAX_NAME_BYTES / 2);
        String fourByte = "\uD83D\uDE00".repeat(GraphLimits.MAX_NAME_BYTES / 4);
        atLimit(tx -> {
            long a = tx.createNode(List.of(ascii, twoByte, fourByte), Map.of(ascii, 1L, twoByte, "two"));
            long b = tx.createNode(List.of("B"), Map.of());
            tx.createRelationship(a, b, fourByte, Map.of(fourByte, true));
            tx.createIndex(twoByte, ascii);
            return a;
        });
        pastLimit("label", tx -> tx.createNode(List.of(ascii + "k"), Map.of()));
        pastLimit("label", tx -> tx.createNode(List.of(twoByte + "k"), Map.of()));
        pastLimit("property key", tx -> tx.createNode(List.of(), Map.of(fourByte + "k", 1L)));
        pastLimit("relationship type", tx -> tx.createRelationship(0, 1, ascii + "k", Map.of()));
        pastLimit("property key", tx -> {
            tx.setNodeProperty(0, "\u00e9" + twoByte, 1L);
            return null;
        });
    }

    @Test
    void aNodeWithTheMostLabelsIsReadBackAndOneMoreIsRefused() {
        int most = GraphLimits.MAX_LABELS_PER_NODE;
        atLimit(tx -> {
            tx.createNode(labels("Created", most), Map.of());
            // One at a time, as a PATCH adding labels does: the store must not keep every intermediate set.
            long added = tx.createNode(List.of(), Map.of());
            for (String label : labels("Added", most)) {
                tx.addLabel(added, label);
            }
            return added;
        });
        pastLimit("at most " + most, tx -> tx.createNode(labels("Created", most + 1), Map.of()));
        pastLimit("at most " + most, tx -> {
            tx.addLabel(1, "OneMore");
            return null;
        });
        // A label the node already has is no growth, and removing one makes room for another.
        commit(tx -> {
            tx.addLabel(1, "Added0");
            tx.removeLabel(1, "Added1");
            return null;
        });
        commit(tx -> {
            tx.addLabel(1, "Replacement");
            return null;
        });
        readBack(view -> view.node(1).orElseThrow().labels().size() == most
                && view.node(1).orElseThrow().labels().contains("Replacement"));
    }

    @Test
    void entitiesWithTheMostPropertiesAreReadBackAndOneMoreIsRefused() {
        int most = GraphLimits.MAX_PROPERTIES_PER_ENTITY;
        atLimit(tx -> {
            long a = tx.createNode(List.of("A"), properties("p", most));
            long b = tx.createNode(List.of("B"), Map.of());
            for (Map.Entry<String, Object> property : properties("q", most).entrySet()) {
                tx.setNodeProperty(b, property.getKey(), property.getValue());
            }
            tx.createRelationship(a, b, "R", properties("r", most));
            return a;
        });
        pastLimit("at most " + most, tx -> tx.createNode(List.of(), properties("p", most + 1)));
        pastLimit("at most " + most, tx -> {
            tx.setNodeProperty(0, "oneMore", 1L);
            return null;
        });
        pastLimit("at most " + most, tx -> {
            tx.setRelationshipProperty(0, "oneMore", 1L);
            return null;
        });
        // Replacing a property is no growth.
        commit(tx -> {
            tx.setNodeProperty(0, "p0", "replaced");
            return null;
        });
        readBack(view -> "replaced".equals(view.node(0).orElseThrow().properties().get("p0")));
    }

    @Test
    void anEntityWithTheMostPropertyBytesIsReadBackAndOneByteMoreIsRefused() {
        // The bound counts each property as its value's encoded size (6 bytes of tag and length for a byte
        // array) plus 5 for its key id: four byte arrays summing to exactly the limit.
        int quarter = GraphLimits.MAX_PROPERTY_BYTES_PER_ENTITY / 4;
        int last = GraphLimits.MAX_PROPERTY_BYTES_PER_ENTITY - 3 * quarter - 11;
        Map<String, Object> properties = new LinkedHashMap<>();
        for (int i = 0; i < 3; i++) {
            properties.put("big" + i, filled(quarter - 11, i));
        }
        atLimit(config(96 * 1024 * 1024), tx -> {
            Map<String, Object> all = new LinkedHashMap<>(properties);
            all.put("big3", filled(last, 3));
            return tx.createNode(List.of("Big"), all);
        });
        pastLimit(config(96 * 1024 * 1024), "at most " + GraphLimits.MAX_PROPERTY_BYTES_PER_ENTITY + " bytes", tx -> {
            Map<String, Object> all = new LinkedHashMap<>(properties);
            all.put("big3", filled(last + 1, 3));
            return tx.createNode(List.of(), all);
        });
        pastLimit(config(96 * 1024 * 1024), "at most " + GraphLimits.MAX_PROPERTY_BYTES_PER_ENTITY + " bytes", tx -> {
            tx.setNodeProperty(0, "small", "x".repeat(64));
            return null;
        });
        // A value replacing a stored one of the same size is no growth, even at the limit.
        commit(config(96 * 1024 * 1024), tx -> {
            tx.setNodeProperty(0, "big0", filled(quarter - 11, 9));
            return null;
        });
        readBack(config(96 * 1024 * 1024), view -> ((byte[]) view.node(0).orElseThrow().properties().get("big0"))[7] == 9);
    }

    @Test
    void aTransactionWithTheMostChangesIsReadBackAndOneMoreIsRefused() {
        int most = GraphLimits.MAX_MUTATIONS_PER_TRANSACTION;
        atLimit(tx -> {
            long first = tx.createNode(List.of("Many"), Map.of());
            for (int i = 1; i < most; i++) {
                tx.createNode(List.of("Many"), Map.of());
            }
            return first;
        });
        pastLimit("split the work", tx -> {
            for (int i = 0; i <= most; i++) {
                tx.createNode(List.of(), Map.of());
            }
            return null;
        });
        readBack(view -> view.nodeCount() == most);
    }

    @Test
    void valuesFillingTheLargestRecordAreReadBackAndOneByteMoreIsRefused() {
        // A single value is bounded by the record that carries it: a string, a byte array and a list, each
        // sized so that its transaction's record is max-record-size to the byte.
        int maxRecord = 256 * 1024;
        DatabaseConfig config = config(maxRecord);
        for (Function<Integer, Object> value : List.<Function<Integer, Object>>of(
                n -> "s".repeat(n), n -> filled(n, 1), n -> java.util.Collections.nCopies(n, Boolean.TRUE))) {
            int size = fitting(maxRecord, value);
            commit(config, tx -> tx.createNode(List.of("Value"), Map.of("v", value.apply(size))));
            atLimit.incrementAndGet();
            int past = size + 1;
            try (GraphDatabase db = GraphDatabase.open(config)) {
                long before = db.wal().appendedLsn();
                assertThatThrownBy(() -> db.commit(tx -> tx.createNode(List.of("Value"),
                        Map.of("v", value.apply(past))))).isInstanceOf(WalRecordTooLargeException.class)
                        .hasMessageContaining(String.valueOf(maxRecord));
                assertThat(db.wal().appendedLsn()).as("nothing logged").isEqualTo(before);
            }
            refused.incrementAndGet();
        }
        readBack(config, view -> view.nodesWithLabel("Value").size() == 3);
    }

    /** The size of value whose create-node transaction encodes to exactly {@code recordBytes}. */
    private static int fitting(int recordBytes, Function<Integer, Object> value) {
        int size = recordBytes / 2;
        for (int attempt = 0; attempt < 64; attempt++) {
            int encoded = MutationCodec.encode(List.of(new Mutation.CreateNode(0, List.of("Value"),
                    Map.of("v", value.apply(size))))).length;
            if (encoded == recordBytes) {
                return size;
            }
            size += recordBytes - encoded > 0 ? Math.max(1, (recordBytes - encoded) / 2) : -1;
        }
        throw new AssertionError("no size of value encodes to " + recordBytes + " bytes");
    }

    // ---- the checks ----------------------------------------------------------------------------------

    private DatabaseConfig config() {
        return config(WalConfig.DEFAULT_MAX_RECORD_SIZE);
    }

    private DatabaseConfig config(int maxRecordSize) {
        WalConfig wal = WalConfig.builder(dir).syncMode(SyncMode.GROUP).maxRecordSize(maxRecordSize)
                .segmentSize(Math.max(WalConfig.DEFAULT_SEGMENT_SIZE, 2L * maxRecordSize)).build();
        return new DatabaseConfig(wal, 0, 1);
    }

    private void atLimit(Function<Transaction, Long> work) {
        atLimit(config(), work);
    }

    /** Commits at the limit, then checks every reader rebuilds exactly the graph the writer holds. */
    private void atLimit(DatabaseConfig config, Function<Transaction, Long> work) {
        commit(config, work);
        atLimit.incrementAndGet();
        readBack(config, view -> true);
    }

    private void commit(Function<Transaction, ?> work) {
        commit(config(), work);
    }

    private void commit(DatabaseConfig config, Function<Transaction, ?> work) {
        try (GraphDatabase db = GraphDatabase.open(config)) {
            db.commit(work);
        }
    }

    private void pastLimit(String named, Function<Transaction, ?> work) {
        pastLimit(config(), named, work);
    }

    /** One past the limit: refused with reason LIMIT naming it, and nothing is logged. */
    private void pastLimit(DatabaseConfig config, String named, Function<Transaction, ?> work) {
        try (GraphDatabase db = GraphDatabase.open(config)) {
            long before = db.wal().appendedLsn();
            String graph = db.read(LimitsTest::contents);
            assertThatThrownBy(() -> db.commit(work)).isInstanceOf(GraphValidationException.class)
                    .hasMessageContaining(named)
                    .satisfies(e -> assertThat(((GraphValidationException) e).reason())
                            .isEqualTo(GraphValidationException.Reason.LIMIT));
            assertThat(db.wal().appendedLsn()).as("nothing logged").isEqualTo(before);
            assertThat(db.read(LimitsTest::contents)).as("nothing changed").isEqualTo(graph);
        }
        refused.incrementAndGet();
    }

    private void readBack(Function<GraphView, Boolean> expectation) {
        readBack(config(), expectation);
    }

    /**
     * Replays the whole log, checkpoints (which reads its snapshot back), starts from that snapshot and runs
     * {@code wal verify}: each sees the same graph, which meets the expectation.
     */
    private void readBack(DatabaseConfig config, Function<GraphView, Boolean> expectation) {
        deleteSnapshots();
        String live;
        try (GraphDatabase db = GraphDatabase.open(config)) {
            assertThat(db.lastReplay().snapshotLsn()).isZero();
            assertThat(db.read(expectation)).isTrue();
            live = db.read(LimitsTest::contents);
            db.checkpoint();
        }
        try (GraphDatabase db = GraphDatabase.open(config)) {
            assertThat(db.lastReplay().snapshotLsn()).as("started from the snapshot").isPositive();
            assertThat(db.read(LimitsTest::contents)).isEqualTo(live);
        }
        ToolRunner.Result verify = ToolRunner.run("verify", dir.toString());
        assertThat(verify.exit()).as(verify.out() + verify.err()).isZero();
        readBack.incrementAndGet();
    }

    private void deleteSnapshots() {
        try (var files = java.nio.file.Files.list(dir)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".snap")).toList()) {
                java.nio.file.Files.delete(file);
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The whole graph as text, byte arrays by content, so two states compare by value. */
    private static String contents(GraphView view) {
        StringBuilder out = new StringBuilder();
        out.append(view.nodeCount()).append(" nodes ").append(view.relationshipCount()).append(" rels ")
                .append(view.labels().size()).append(" labels ").append(view.indexes()).append('\n');
        for (long id = 0; id < view.nodeCount() + 8; id++) {
            view.node(id).ifPresent(node -> describe(out, node));
            view.relationship(id).ifPresent(rel -> describe(out, rel));
        }
        return out.toString();
    }

    private static void describe(StringBuilder out, Node node) {
        out.append("n").append(node.id()).append(node.labels().hashCode()).append(properties(node.properties()));
    }

    private static void describe(StringBuilder out, Relationship rel) {
        out.append("r").append(rel.id()).append(rel.type()).append(rel.startNode()).append(rel.endNode())
                .append(properties(rel.properties()));
    }

    private static String properties(Map<String, Object> properties) {
        Map<String, Object> comparable = new TreeMap<>();
        properties.forEach((key, value) -> comparable.put(key,
                value instanceof byte[] bytes ? "bytes" + bytes.length + "#" + Arrays.hashCode(bytes) : value));
        return String.valueOf(comparable.hashCode()) + comparable.size();
    }

    private static List<String> labels(String prefix, int count) {
        List<String> labels = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            labels.add(prefix + i);
        }
        return labels;
    }

    private static Map<String, Object> properties(String prefix, int count) {
        Map<String, Object> properties = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            properties.put(prefix + i, (long) i);
        }
        return properties;
    }

    private static byte[] filled(int length, int value) {
        byte[] bytes = new byte[length];
        Arrays.fill(bytes, (byte) value);
        return bytes;
    }
}
