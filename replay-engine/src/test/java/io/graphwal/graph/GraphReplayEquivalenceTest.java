package io.graphwal.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.graphwal.wal.SyncMode;

/**
 * Seeded random transactions (every kind of mutation, values of every type, some transactions refused or
 * abandoned) against a live graph and a plain model of what it should hold. After every transaction the live
 * graph matches the model; after a restart the graph replayed from the log matches the live one exactly, ids
 * included; and a second process that continues on the replayed graph leaves a log that replays to its state
 * too.
 */
class GraphReplayEquivalenceTest {

    private static final long SEED = LoggedGraph.seed("GraphReplayEquivalenceTest");
    private static final List<String> LABELS = List.of("Person", "Robot", "Ü", "City");
    private static final List<String> TYPES = List.of("KNOWS", "LIKES", "IN", "→");
    private static final List<String> KEYS = List.of("name", "age", "score", "名前");

    static Stream<Arguments> runs() {
        return Stream.of(
                Arguments.of(0, SyncMode.NONE, LoggedGraph.scaled(250)),
                Arguments.of(1, SyncMode.NONE, LoggedGraph.scaled(250)),
                Arguments.of(2, SyncMode.GROUP, LoggedGraph.scaled(250)),
                Arguments.of(3, SyncMode.PER_COMMIT, LoggedGraph.scaled(60)));
    }

    @ParameterizedTest(name = "run {0} in {1} mode, {2} transactions")
    @MethodSource("runs")
    void theGraphReplayedFromTheLogEqualsTheLiveGraph(int run, SyncMode mode, int transactions,
            @TempDir Path dir) {
        long seed = SEED + run;
        Random random = new Random(seed);
        Model model = new Model();
        GraphDump live;
        try (LoggedGraph first = LoggedGraph.open(dir, mode)) {
            model = runTransactions(first, model, random, transactions, seed);
            live = first.dump();
            try (LoggedGraph second = first.reopen()) {
                assertThat(second.dump()).as("seed %d: replayed after the first process", seed).isEqualTo(live);
                checkLookupsAgainstScan(second, seed);
                model = runTransactions(second, model, random, transactions / 2, seed);
                live = second.dump();
                try (LoggedGraph third = second.reopen()) {
                    assertThat(third.dump()).as("seed %d: replayed after the second process", seed).isEqualTo(live);
                    checkLookupsAgainstScan(third, seed);
                }
            }
        }
        assertThat(live.nodeCount()).as("seed %d: the run built a graph worth comparing", seed).isPositive();
    }

    private static Model runTransactions(LoggedGraph graph, Model start, Random random, int count, long seed) {
        Model model = start;
        for (int i = 0; i < count; i++) {
            String context = "seed " + seed + ", transaction " + i;
            Model working = model.copy();
            int ending = random.nextInt(20); // 0: refused by the graph, 1: abandoned by the function
            long lsnBefore = graph.appendedLsn();
            RuntimeException abandon = new IllegalStateException("abandoned");
            Throwable thrown = catchThrowable(() -> graph.graph.commit(tx -> {
                int operations = 1 + random.nextInt(6);
                for (int op = 0; op < operations; op++) {
                    randomOperation(tx, working, random);
                }
                if (ending == 0) {
                    tx.setNodeProperty(working.nextNode + 1000, "name", "nobody");
                } else if (ending == 1) {
                    throw abandon;
                }
                return null;
            }));
            if (ending == 0) {
                assertThat(thrown).as(context).isInstanceOf(GraphValidationException.class);
            } else if (ending == 1) {
                assertThat(thrown).as(context).isSameAs(abandon);
            } else {
                assertThat(thrown).as(context).isNull();
            }
            if (thrown == null) {
                model = working;
                model.lsn = graph.appendedLsn();
            } else {
                assertThat(graph.appendedLsn()).as(context + " logs nothing").isEqualTo(lsnBefore);
            }
            if (i % 25 == 0 || i == count - 1) {
                assertThat(graph.dump()).as(context).isEqualTo(model.expected());
            }
        }
        return model;
    }

    /** Makes one random change through the transaction and the same change to the model. */
    private static void randomOperation(Transaction tx, Model m, Random random) {
        int choice = random.nextInt(100);
        if (m.nodes.isEmpty() || choice < 20) {
            List<String> labels = new ArrayList<>();
            for (String label : LABELS) {
                if (random.nextInt(3) == 0) {
                    labels.add(label);
                }
            }
            Map<String, Object> given = new HashMap<>();
            Map<String, Object> stored = new TreeMap<>();
            randomProperties(random, given, stored);
            long id = tx.createNode(labels, given);
            assertThat(id).isGreaterThanOrEqualTo(m.nextNode);
            m.nextNode = id + 1;
            m.nodes.put(id, new ModelNode(new TreeSet<>(labels), stored));
        } else if (choice < 35) {
            long start = m.anyNode(random);
            long end = random.nextInt(8) == 0 ? start : m.anyNode(random);
            String type = TYPES.get(random.nextInt(TYPES.size()));
            Map<String, Object> given = new HashMap<>();
            Map<String, Object> stored = new TreeMap<>();
            randomProperties(random, given, stored);
            long id = tx.createRelationship(start, end, type, given);
            assertThat(id).isGreaterThanOrEqualTo(m.nextRelationship);
            m.nextRelationship = id + 1;
            m.relationships.put(id, new ModelRelationship(type, start, end, stored));
        } else if (choice < 50) {
            long node = m.anyNode(random);
            String key = KEYS.get(random.nextInt(KEYS.size()));
            if (random.nextInt(4) == 0) {
                tx.removeNodeProperty(node, key);
                m.nodes.get(node).properties.remove(key);
            } else {
                Value value = randomValue(random);
                tx.setNodeProperty(node, key, value.given());
                m.nodes.get(node).properties.put(key, value.stored());
            }
        } else if (choice < 60) {
            long node = m.anyNode(random);
            String label = LABELS.get(random.nextInt(LABELS.size()));
            if (random.nextBoolean()) {
                tx.addLabel(node, label);
                m.nodes.get(node).labels.add(label);
            } else {
                tx.removeLabel(node, label);
                m.nodes.get(node).labels.remove(label);
            }
        } else if (choice < 70 && !m.relationships.isEmpty()) {
            long relationship = m.anyRelationship(random);
            String key = KEYS.get(random.nextInt(KEYS.size()));
            if (random.nextInt(4) == 0) {
                tx.setRelationshipProperty(relationship, key, null);
                m.relationships.get(relationship).properties.remove(key);
            } else {
                Value value = randomValue(random);
                tx.setRelationshipProperty(relationship, key, value.given());
                m.relationships.get(relationship).properties.put(key, value.stored());
            }
        } else if (choice < 78 && !m.relationships.isEmpty()) {
            long relationship = m.anyRelationship(random);
            tx.deleteRelationship(relationship);
            m.relationships.remove(relationship);
        } else if (choice < 86) {
            long node = m.anyNode(random);
            if (m.hasRelationships(node)) {
                tx.detachDeleteNode(node);
                m.relationships.values().removeIf(r -> r.start == node || r.end == node);
            } else {
                tx.deleteNode(node);
            }
            m.nodes.remove(node);
        } else if (choice < 93) {
            IndexDefinition index = new IndexDefinition(LABELS.get(random.nextInt(LABELS.size())),
                    KEYS.get(random.nextInt(KEYS.size())));
            if (random.nextInt(3) == 0) {
                tx.dropIndex(index.label(), index.key());
                m.indexes.remove(index);
            } else {
                tx.createIndex(index.label(), index.key());
                m.indexes.add(index);
            }
        } else {
            // Several changes to one node in a row, the last one winning.
            long node = m.anyNode(random);
            for (int i = 0; i < 3; i++) {
                Value value = randomValue(random);
                tx.setNodeProperty(node, "name", value.given());
                m.nodes.get(node).properties.put("name", value.stored());
            }
        }
    }

    private static void randomProperties(Random random, Map<String, Object> given, Map<String, Object> stored) {
        int count = random.nextInt(4);
        for (int i = 0; i < count; i++) {
            String key = KEYS.get(random.nextInt(KEYS.size()));
            Value value = randomValue(random);
            given.put(key, value.given());
            stored.put(key, value.stored());
        }
    }

    /** A value as handed to the graph and the canonical form the graph should store. */
    private record Value(Object given, Object stored) {
        static Value of(Object canonical) {
            return new Value(canonical, canonical);
        }
    }

    private static final double[] DOUBLES = {0.0, -0.0, Double.NaN, Double.POSITIVE_INFINITY,
        Double.NEGATIVE_INFINITY, Double.MIN_VALUE, 1.5};
    private static final String[] STRINGS = {"", "a", "Ann", "Grüße", "日本", "🚀", "x".repeat(300)};

    private static Value randomValue(Random random) {
        switch (random.nextInt(16)) {
            case 0:
                return Value.of(random.nextBoolean());
            case 1:
                return Value.of(random.nextLong());
            case 2:
                return Value.of((long) random.nextInt(4) - 1);
            case 3:
                int small = random.nextInt(100) - 50;
                return new Value(small, (long) small);
            case 4:
                return Value.of(DOUBLES[random.nextInt(DOUBLES.length)]);
            case 5:
                return Value.of(random.nextDouble());
            case 6:
            case 7:
                return Value.of(STRINGS[random.nextInt(STRINGS.length)]);
            case 8:
                byte[] bytes = new byte[random.nextInt(6)];
                random.nextBytes(bytes);
                return new Value(bytes.clone(), bytes);
            case 9:
                List<Boolean> booleans = new ArrayList<>();
                for (int i = random.nextInt(4); i > 0; i--) {
                    booleans.add(random.nextBoolean());
                }
                return Value.of(booleans);
            case 10:
                long[] longs = random.longs(random.nextInt(4)).toArray();
                return new Value(longs, java.util.Arrays.stream(longs).boxed().toList());
            case 11:
                List<Double> doubles = new ArrayList<>();
                for (int i = random.nextInt(4); i > 0; i--) {
                    doubles.add(DOUBLES[random.nextInt(DOUBLES.length)]);
                }
                return Value.of(doubles);
            case 12:
                String[] strings = new String[random.nextInt(4)];
                for (int i = 0; i < strings.length; i++) {
                    strings[i] = STRINGS[random.nextInt(STRINGS.length)];
                }
                return new Value(strings, List.of(strings));
            case 13:
                List<byte[]> arrays = new ArrayList<>();
                for (int i = random.nextInt(3); i > 0; i--) {
                    byte[] element = new byte[random.nextInt(4)];
                    random.nextBytes(element);
                    arrays.add(element);
                }
                return Value.of(arrays);
            case 14:
                return Value.of(List.of());
            default:
                int[] ints = random.ints(random.nextInt(4), -5, 5).toArray();
                return new Value(ints, java.util.Arrays.stream(ints).mapToObj(i -> (long) i).toList());
        }
    }

    /** Every lookup by (label, key, value) for values present in the graph equals a scan of every node. */
    private static void checkLookupsAgainstScan(LoggedGraph graph, long seed) {
        GraphDump dump = graph.dump();
        Map<Object, Object> probes = new LinkedHashMap<>(); // comparable form to a query value
        for (Map.Entry<Long, GraphDump.NodeState> entry : dump.nodes().entrySet()) {
            Map<String, Object> raw = graph.graph.node(entry.getKey()).orElseThrow().properties();
            raw.forEach((key, value) -> probes.putIfAbsent(GraphDump.comparable(value), value));
        }
        for (String label : LABELS) {
            for (String key : KEYS) {
                Map<Object, List<Long>> scan = new HashMap<>();
                for (GraphDump.NodeState node : dump.nodes().values()) {
                    Object value = node.properties().get(key);
                    if (value != null && node.labels().contains(label)) {
                        scan.computeIfAbsent(value, v -> new ArrayList<>()).add(node.id());
                    }
                }
                for (Map.Entry<Object, Object> probe : probes.entrySet()) {
                    List<Long> expected = scan.getOrDefault(probe.getKey(), List.of());
                    List<Long> actual = graph.graph.read(v -> v.nodesWithProperty(label, key, probe.getValue()))
                            .stream().map(Node::id).toList();
                    assertThat(actual).as("seed %d: %s.%s = %s", seed, label, key, probe.getKey()).isEqualTo(expected);
                }
            }
        }
    }

    // ---- the model ------------------------------------------------------------------------------------

    private static final class ModelNode {
        final TreeSet<String> labels;
        final Map<String, Object> properties;

        ModelNode(TreeSet<String> labels, Map<String, Object> properties) {
            this.labels = labels;
            this.properties = properties;
        }
    }

    private static final class ModelRelationship {
        final String type;
        final long start;
        final long end;
        final Map<String, Object> properties;

        ModelRelationship(String type, long start, long end, Map<String, Object> properties) {
            this.type = type;
            this.start = start;
            this.end = end;
            this.properties = properties;
        }
    }

    /** What the graph should hold: a few plain maps. */
    private static final class Model {
        final TreeMap<Long, ModelNode> nodes = new TreeMap<>();
        final TreeMap<Long, ModelRelationship> relationships = new TreeMap<>();
        final LinkedHashSet<IndexDefinition> indexes = new LinkedHashSet<>();
        long nextNode;
        long nextRelationship;
        long lsn;

        Model copy() {
            Model copy = new Model();
            nodes.forEach((id, n) -> copy.nodes.put(id, new ModelNode(new TreeSet<>(n.labels),
                    new TreeMap<>(n.properties))));
            relationships.forEach((id, r) -> copy.relationships.put(id, new ModelRelationship(r.type, r.start, r.end,
                    new TreeMap<>(r.properties))));
            copy.indexes.addAll(indexes);
            copy.nextNode = nextNode;
            copy.nextRelationship = nextRelationship;
            copy.lsn = lsn;
            return copy;
        }

        long anyNode(Random random) {
            List<Long> ids = new ArrayList<>(nodes.keySet());
            return ids.get(random.nextInt(ids.size()));
        }

        long anyRelationship(Random random) {
            List<Long> ids = new ArrayList<>(relationships.keySet());
            return ids.get(random.nextInt(ids.size()));
        }

        boolean hasRelationships(long node) {
            return relationships.values().stream().anyMatch(r -> r.start == node || r.end == node);
        }

        GraphDump expected() {
            Map<Long, Map.Entry<List<String>, Map<String, Object>>> entries = new TreeMap<>();
            nodes.forEach((id, n) -> entries.put(id, Map.entry(new ArrayList<>(n.labels), n.properties)));
            List<Relationship> list = new ArrayList<>();
            relationships.forEach((id, r) -> list.add(new Relationship(id, r.type, r.start, r.end, r.properties)));
            return GraphDump.expected(lsn, entries, list, new ArrayList<>(indexes));
        }
    }
}
