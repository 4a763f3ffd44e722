package io.graphwal.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.graphwal.wal.SyncMode;

/**
 * The graph's queries after each kind of change: labels, properties, relationships by direction and type
 * (self-loops once), neighbours, deletes, counts and tallies, and property lookups, which give the same
 * answer as a scan of every node whether or not an index exists and whenever it was created.
 */
class GraphQueriesTest {

    @TempDir
    Path dir;

    private LoggedGraph live;
    private Graph graph;

    @BeforeEach
    void open() {
        live = LoggedGraph.open(dir.resolve("graph"), SyncMode.NONE);
        graph = live.graph;
    }

    @AfterEach
    void close() {
        live.close();
    }

    private static long createNode(Graph graph, List<String> labels, Map<String, ?> properties) {
        return graph.commit(tx -> tx.createNode(labels, properties)).value();
    }

    private long createNode(List<String> labels, Map<String, ?> properties) {
        return createNode(graph, labels, properties);
    }

    private long relate(long start, long end, String type) {
        return graph.commit(tx -> tx.createRelationship(start, end, type, Map.of())).value();
    }

    private void change(Consumer<Transaction> work) {
        graph.commit(tx -> {
            work.accept(tx);
            return null;
        });
    }

    private List<Long> withLabel(String label) {
        return graph.read(v -> v.nodesWithLabel(label).stream().map(Node::id).toList());
    }

    private List<Long> withProperty(String label, String key, Object value) {
        return graph.read(v -> v.nodesWithProperty(label, key, value).stream().map(Node::id).toList());
    }

    private Node node(long id) {
        return graph.node(id).orElseThrow(() -> new AssertionError("node " + id + " is missing"));
    }

    private List<Long> relationshipIds(long node, Direction direction, String type) {
        return graph.read(v -> v.relationships(node, direction, type).stream().map(Relationship::id).toList());
    }

    private List<Long> neighbourIds(long node, Direction direction, String type) {
        return graph.read(v -> v.neighbours(node, direction, type).stream().map(Node::id).toList());
    }

    // ---- nodes, labels, properties ------------------------------------------------------------------------

    @Test
    void aCommitInsideATransactionOrAReadIsRefusedInsteadOfDeadlocking() {
        assertThatThrownBy(() -> graph.commit(tx -> graph.commit(inner -> inner.createNode(List.of("X"), Map.of()))))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("inside a transaction or a read");
        assertThatThrownBy(() -> graph.read(view -> graph.commit(tx -> tx.createNode(List.of("X"), Map.of()))))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("inside a transaction or a read");
        long before = graph.read(GraphView::nodeCount);
        assertThat(before).isZero();
        assertThat(createNode(null, Map.of("k", 1))).isNotNegative();
        long after = graph.read(GraphView::nodeCount);
        assertThat(after).isEqualTo(1);
    }

    @Test
    void aNodeKeepsItsLabelsSortedWithoutDuplicatesAndItsProperties() {
        byte[] photo = {1, 2, 3};
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("name", "Zoë");
        properties.put("age", 41L);
        properties.put("height", 1.75);
        properties.put("admin", true);
        properties.put("photo", photo);
        properties.put("tags", List.of("a", "b"));
        properties.put("nothing", null);
        long id = createNode(List.of("Person", "Admin", "Person"), properties);
        photo[0] = 99; // the caller's array is not the stored one

        Node node = node(id);

        assertThat(node.id()).isEqualTo(id);
        assertThat(node.labels()).containsExactly("Admin", "Person");
        assertThat(GraphDump.comparable(node.properties())).isEqualTo(GraphDump.comparable(Map.of("name", "Zoë",
                "age", 41L, "height", 1.75, "admin", true, "photo", new byte[] {1, 2, 3}, "tags", List.of("a", "b"))));
        ((byte[]) node.properties().get("photo"))[1] = 99; // nor is the array a read hands out
        assertThat((byte[]) node(id).properties().get("photo")).containsExactly(1, 2, 3);
        assertThatThrownBy(() -> node.properties().put("x", 1L)).isInstanceOf(UnsupportedOperationException.class);
        assertThat(withLabel("Admin")).containsExactly(id);
        assertThat(graph.read(GraphView::labels)).containsExactly(Map.entry("Admin", 1L), Map.entry("Person", 1L));
    }

    @Test
    void everyAcceptedJavaTypeIsStoredInItsCanonicalForm() {
        Map<String, Object> given = new LinkedHashMap<>();
        Map<String, Object> stored = new LinkedHashMap<>();
        accept(given, stored, "int", 5, 5L);
        accept(given, stored, "short", (short) -6, -6L);
        accept(given, stored, "byte", (byte) 7, 7L);
        accept(given, stored, "float", 1.5f, 1.5);
        accept(given, stored, "int array", new int[] {1, -2}, List.of(1L, -2L));
        accept(given, stored, "long array", new long[] {Long.MIN_VALUE}, List.of(Long.MIN_VALUE));
        accept(given, stored, "short array", new short[] {3, 4}, List.of(3L, 4L));
        accept(given, stored, "double array", new double[] {0.5, -0.0}, List.of(0.5, -0.0));
        accept(given, stored, "float array", new float[] {0.25f}, List.of(0.25));
        accept(given, stored, "boolean array", new boolean[] {true, false}, List.of(true, false));
        accept(given, stored, "string array", new String[] {"x", ""}, List.of("x", ""));
        accept(given, stored, "array of byte arrays", new byte[][] {{1}, {}}, List.of(new byte[] {1}, new byte[0]));
        accept(given, stored, "array of boxed ints and longs", new Object[] {1, 2L}, List.of(1L, 2L));
        accept(given, stored, "list of ints", List.of(1, 2), List.of(1L, 2L));
        accept(given, stored, "list of floats", List.of(1.5f), List.of(1.5));
        accept(given, stored, "empty array", new int[0], List.of());
        accept(given, stored, "empty list", new ArrayList<>(), List.of());

        long id = createNode(List.of("T"), given);

        Map<String, Object> actual = node(id).properties();
        assertThat(GraphDump.comparable(actual)).isEqualTo(GraphDump.comparable(stored));
        stored.forEach((key, value) -> assertThat(actual.get(key)).as(key).isInstanceOf(
                value instanceof List ? List.class : value.getClass()));
        assertThat(withProperty("T", "int", 5)).containsExactly(id);
        assertThat(withProperty("T", "float", 1.5)).containsExactly(id);
        assertThat(withProperty("T", "int array", List.of(1L, -2L))).hasSize(1);
    }

    private static void accept(Map<String, Object> given, Map<String, Object> stored, String key, Object input,
            Object canonical) {
        given.put(key, input);
        stored.put(key, canonical);
    }

    @Test
    void nodePropertiesCanBeOverwrittenChangeTypeAndBeRemoved() {
        long id = createNode(List.of("P"), Map.of("a", 1L, "b", "two", "c", 3.0));

        change(tx -> tx.setNodeProperty(id, "a", 10L));
        assertThat(node(id).properties()).containsEntry("a", 10L);
        change(tx -> tx.setNodeProperty(id, "a", "ten"));
        assertThat(node(id).properties()).containsEntry("a", "ten");
        change(tx -> tx.setNodeProperty(id, "b", null));
        assertThat(node(id).properties()).doesNotContainKey("b");
        change(tx -> tx.removeNodeProperty(id, "c"));
        change(tx -> tx.removeNodeProperty(id, "c")); // already gone: nothing happens
        change(tx -> tx.removeNodeProperty(id, "never used by anyone"));
        change(tx -> tx.setNodeProperty(id, "d", new byte[] {4}));

        assertThat(GraphDump.comparable(node(id).properties()))
                .isEqualTo(GraphDump.comparable(Map.of("a", "ten", "d", new byte[] {4})));
        change(tx -> {
            tx.removeNodeProperty(id, "a");
            tx.removeNodeProperty(id, "d");
        });
        assertThat(node(id).properties()).isEmpty();
        assertThat(node(id).labels()).containsExactly("P");
    }

    @Test
    void relationshipPropertiesCanBeOverwrittenChangeTypeAndBeRemoved() {
        long a = createNode(List.of(), Map.of());
        long b = createNode(List.of(), Map.of());
        long r = graph.commit(tx -> tx.createRelationship(a, b, "R", Map.of("w", 1.0, "tag", "x"))).value();

        change(tx -> tx.setRelationshipProperty(r, "w", 2.5));
        change(tx -> tx.setRelationshipProperty(r, "tag", List.of(true)));
        change(tx -> tx.setRelationshipProperty(r, "new", new byte[] {7}));
        assertThat(GraphDump.comparable(graph.relationship(r).orElseThrow().properties())).isEqualTo(
                GraphDump.comparable(Map.of("w", 2.5, "tag", List.of(true), "new", new byte[] {7})));

        change(tx -> {
            tx.setRelationshipProperty(r, "w", null);
            tx.removeRelationshipProperty(r, "new");
            tx.removeRelationshipProperty(r, "absent");
        });

        Relationship relationship = graph.relationship(r).orElseThrow();
        assertThat(relationship.properties()).containsOnly(Map.entry("tag", List.of(true)));
        assertThat(relationship.type()).isEqualTo("R");
        assertThat(relationship.startNode()).isEqualTo(a);
        assertThat(relationship.endNode()).isEqualTo(b);
    }

    @Test
    void labelsCanBeAddedAndRemovedAndTheTalliesFollow() {
        long a = createNode(List.of("A"), Map.of());
        long b = createNode(List.of("A", "B"), Map.of());

        change(tx -> tx.addLabel(a, "A")); // already there
        change(tx -> tx.addLabel(a, "C"));
        change(tx -> tx.removeLabel(b, "Z")); // never there
        assertThat(node(a).labels()).containsExactly("A", "C");
        assertThat(graph.read(GraphView::labels)).isEqualTo(Map.of("A", 2L, "B", 1L, "C", 1L));

        change(tx -> {
            tx.removeLabel(b, "B");
            tx.removeLabel(b, "A");
        });
        assertThat(node(b).labels()).isEmpty();
        assertThat(withLabel("A")).containsExactly(a);
        assertThat(withLabel("B")).isEmpty();
        assertThat(graph.read(GraphView::labels)).as("a label no node has is not listed")
                .isEqualTo(Map.of("A", 1L, "C", 1L));

        change(tx -> tx.addLabel(b, "B"));
        assertThat(graph.read(GraphView::labels)).isEqualTo(Map.of("A", 1L, "B", 1L, "C", 1L));
        assertThat(withLabel("Unknown")).isEmpty();
        live.dump(); // every answer agrees with the others
    }

    @Test
    void nodesWithALabelComeByAscendingId() {
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            ids.add(createNode(List.of(i % 2 == 0 ? "Even" : "Odd", "All"), Map.of()));
        }
        change(tx -> tx.deleteNode(ids.get(10)));
        ids.remove(10);

        assertThat(withLabel("All")).containsExactlyElementsOf(ids);
    }

    // ---- relationships and neighbours -----------------------------------------------------------------

    @Test
    void relationshipsAreListedByDirectionAndTypeAndASelfLoopOnlyOnce() {
        long a = createNode(List.of("N"), Map.of());
        long b = createNode(List.of("N"), Map.of());
        long c = createNode(List.of("N"), Map.of());
        long ab = relate(a, b, "KNOWS");
        long ac = relate(a, c, "LIKES");
        long ba = relate(b, a, "KNOWS");
        long aa = relate(a, a, "SELF");
        long aa2 = relate(a, a, "KNOWS");

        assertThat(relationshipIds(a, Direction.OUTGOING, null)).containsExactlyInAnyOrder(ab, ac, aa, aa2);
        assertThat(relationshipIds(a, Direction.INCOMING, null)).containsExactlyInAnyOrder(ba, aa, aa2);
        assertThat(relationshipIds(a, Direction.BOTH, null)).containsExactlyInAnyOrder(ab, ac, ba, aa, aa2);
        assertThat(relationshipIds(a, Direction.OUTGOING, "KNOWS")).containsExactlyInAnyOrder(ab, aa2);
        assertThat(relationshipIds(a, Direction.INCOMING, "KNOWS")).containsExactlyInAnyOrder(ba, aa2);
        assertThat(relationshipIds(a, Direction.BOTH, "KNOWS")).containsExactlyInAnyOrder(ab, ba, aa2);
        assertThat(relationshipIds(a, Direction.BOTH, "SELF")).containsExactly(aa);
        assertThat(relationshipIds(a, Direction.INCOMING, "LIKES")).isEmpty();
        assertThat(relationshipIds(a, Direction.BOTH, "NO_SUCH_TYPE")).isEmpty();
        assertThat(relationshipIds(c, Direction.BOTH, null)).containsExactly(ac);
        assertThat(relationshipIds(999, Direction.BOTH, null)).isEmpty();
        assertThat(graph.relationship(ac)).hasValue(new Relationship(ac, "LIKES", a, c, Map.of()));
        assertThat(graph.read(GraphView::relationshipTypes))
                .isEqualTo(Map.of("KNOWS", 3L, "LIKES", 1L, "SELF", 1L));
        assertThat(graph.read(GraphView::relationshipCount)).isEqualTo(5);
        live.dump();
    }

    @Test
    void neighboursAreDistinctAndByAscendingId() {
        long hub = createNode(List.of(), Map.of());
        long[] others = new long[5];
        for (int i = 0; i < others.length; i++) {
            others[i] = createNode(List.of(), Map.of());
        }
        // Created newest-first and in both directions, several times over, to tempt duplicates and disorder.
        for (int i = others.length - 1; i >= 0; i--) {
            relate(hub, others[i], "OUT");
            relate(others[i], hub, "IN");
            relate(hub, others[i], "OUT");
        }
        relate(hub, hub, "SELF");

        List<Long> all = new ArrayList<>();
        all.add(hub);
        Arrays.stream(others).forEach(all::add);
        assertThat(neighbourIds(hub, Direction.BOTH, null)).containsExactlyElementsOf(all);
        assertThat(neighbourIds(hub, Direction.OUTGOING, null)).containsExactlyElementsOf(all);
        assertThat(neighbourIds(hub, Direction.INCOMING, "IN")).containsExactlyElementsOf(all.subList(1, 6));
        assertThat(neighbourIds(hub, Direction.INCOMING, "OUT")).isEmpty();
        assertThat(neighbourIds(hub, Direction.BOTH, "SELF")).containsExactly(hub);
        assertThat(neighbourIds(others[2], Direction.BOTH, null)).containsExactly(hub);
        assertThat(neighbourIds(999, Direction.BOTH, null)).isEmpty();
    }

    @Test
    void detachDeleteRemovesTheNodeAndEveryRelationshipItHad() {
        long a = createNode(List.of("N"), Map.of("name", "a"));
        long b = createNode(List.of("N"), Map.of());
        long c = createNode(List.of("M"), Map.of());
        relate(a, b, "R");
        relate(b, a, "R");
        relate(a, a, "SELF");
        relate(c, a, "T");
        long bc = relate(b, c, "R");

        change(tx -> tx.detachDeleteNode(a));

        assertThat(graph.node(a)).isEmpty();
        assertThat(relationshipIds(b, Direction.BOTH, null)).containsExactly(bc);
        assertThat(relationshipIds(c, Direction.BOTH, null)).containsExactly(bc);
        assertThat(relationshipIds(a, Direction.BOTH, null)).isEmpty();
        assertThat(graph.read(GraphView::nodeCount)).isEqualTo(2);
        assertThat(graph.read(GraphView::relationshipCount)).isEqualTo(1);
        assertThat(graph.read(GraphView::relationshipTypes)).isEqualTo(Map.of("R", 1L));
        assertThat(graph.read(GraphView::labels)).isEqualTo(Map.of("M", 1L, "N", 1L));
        assertThat(withLabel("N")).containsExactly(b);
        live.dump();
    }

    @Test
    void aNodeCanBeDeletedOnceItsRelationshipsAreDeletedEvenInTheSameTransaction() {
        long a = createNode(List.of("N"), Map.of());
        long b = createNode(List.of("N"), Map.of());
        long ab = relate(a, b, "R");
        long aa = relate(a, a, "SELF");

        change(tx -> {
            tx.deleteRelationship(ab);
            tx.deleteRelationship(aa);
            tx.deleteNode(a);
        });

        assertThat(graph.node(a)).isEmpty();
        assertThat(graph.relationship(ab)).isEmpty();
        assertThat(graph.relationship(aa)).isEmpty();
        assertThat(relationshipIds(b, Direction.BOTH, null)).isEmpty();
        assertThat(graph.read(GraphView::relationshipTypes)).isEmpty();
        assertThat(graph.read(GraphView::nodeCount)).isEqualTo(1);
        live.dump();
    }

    @Test
    void aTransactionCanBuildOnWhatItCreatedAndDeleteItAgain() {
        long kept = graph.commit(tx -> {
            long a = tx.createNode(List.of("N"), Map.of());
            long b = tx.createNode(List.of("N"), Map.of());
            long r = tx.createRelationship(a, b, "R", Map.of());
            tx.setRelationshipProperty(r, "w", 1L);
            tx.addLabel(b, "Kept");
            tx.setNodeProperty(b, "k", "v");
            tx.detachDeleteNode(a);
            return b;
        }).value();

        assertThat(graph.read(GraphView::nodeCount)).isEqualTo(1);
        assertThat(graph.read(GraphView::relationshipCount)).isZero();
        assertThat(node(kept)).isEqualTo(new Node(kept, List.of("Kept", "N"), Map.of("k", "v")));
    }

    @Test
    void theViewReportsTheLsnOfTheNewestTransactionItIncludes() {
        assertThat(graph.read(GraphView::lsn)).isZero();
        long lsn = graph.commit(tx -> tx.createNode(List.of(), Map.of())).lsn();
        assertThat(graph.read(GraphView::lsn)).isEqualTo(lsn).isEqualTo(live.appendedLsn());
        graph.commit(tx -> tx.nodeExists(0)); // logs nothing
        assertThat(graph.read(GraphView::lsn)).isEqualTo(lsn);
    }

    // ---- indexes ----------------------------------------------------------------------------------------

    @Test
    void indexesAreListedInCreationOrderOncePerLabelAndKey() {
        change(tx -> {
            tx.createIndex("Person", "name");
            tx.createIndex("Person", "age");
            tx.createIndex("Person", "name");
            tx.dropIndex("Nobody", "nothing");
        });
        assertThat(graph.read(GraphView::indexes)).containsExactly(new IndexDefinition("Person", "name"),
                new IndexDefinition("Person", "age"));

        change(tx -> {
            tx.dropIndex("Person", "name");
            tx.createIndex("City", "name");
            tx.createIndex("Person", "name");
        });
        assertThat(graph.read(GraphView::indexes)).containsExactly(new IndexDefinition("Person", "age"),
                new IndexDefinition("City", "name"), new IndexDefinition("Person", "name"));
    }

    /**
     * Two graphs receive the same changes; one has an index on (Person, age) from the start, the other gets
     * one only later. After every step both answer every lookup like a scan of every node would, with values
     * equal as Java's {@code equals} says (byte arrays by content; NaN finds NaN; -0.0 is not 0.0; 30 is not
     * 30.0 or "30").
     */
    @Test
    void propertyLookupsAgreeWithAScanOfEveryNodeWithAndWithoutAnIndex() {
        try (LoggedGraph indexed = LoggedGraph.open(dir.resolve("indexed"), SyncMode.NONE);
                LoggedGraph scanned = LoggedGraph.open(dir.resolve("scanned"), SyncMode.NONE)) {
            Both both = new Both(indexed, scanned);
            indexed.graph.commit(tx -> {
                tx.createIndex("Person", "age");
                return null;
            });
            List<Object> ages = List.of(30L, 30L, 31L, 30.0, "30", Double.NaN, -0.0, 0.0, new byte[] {1, 2},
                    new byte[] {1, 2}, List.of(1L, 2L), List.of(), List.of(new byte[] {1}), true, Long.MIN_VALUE);
            List<Long> people = new ArrayList<>();
            for (Object age : ages) {
                people.add(both.create(List.of("Person"), Map.of("age", age)));
            }
            long robot = both.create(List.of("Robot"), Map.of("age", 30L));
            long cyborg = both.create(List.of("Person", "Robot"), Map.of("age", 30L));
            long ageless = both.create(List.of("Person"), Map.of("name", "x"));
            long friend = both.create(List.of("Person"), Map.of("age", 31L));
            both.change(tx -> tx.createRelationship(friend, people.get(0), "KNOWS", Map.of()));
            both.check("after creating the nodes");

            both.change(tx -> {
                tx.setNodeProperty(people.get(0), "age", 31L);
                tx.setNodeProperty(people.get(2), "age", "x");
                tx.setNodeProperty(people.get(5), "age", 30L);
                tx.setNodeProperty(people.get(8), "age", new byte[] {2, 1});
                tx.setNodeProperty(ageless, "age", Double.NaN);
            });
            both.check("after changing indexed values");

            both.change(tx -> {
                tx.removeNodeProperty(people.get(1), "age");
                tx.setNodeProperty(people.get(9), "age", null);
            });
            both.check("after removing indexed properties");

            both.change(tx -> {
                tx.removeLabel(cyborg, "Person");
                tx.removeLabel(people.get(3), "Person");
                tx.addLabel(robot, "Person");
            });
            both.check("after moving labels");

            both.change(tx -> {
                tx.deleteNode(people.get(6));
                tx.detachDeleteNode(friend);
                tx.detachDeleteNode(people.get(0));
            });
            both.check("after deleting nodes");

            scanned.graph.commit(tx -> {
                tx.createIndex("Person", "age");
                tx.createIndex("Robot", "age");
                return null;
            });
            indexed.graph.commit(tx -> {
                tx.dropIndex("Person", "age");
                return null;
            });
            both.check("after indexing the scanned graph late and dropping the other index");

            both.change(tx -> {
                tx.setNodeProperty(people.get(4), "age", 30L);
                tx.addLabel(cyborg, "Person");
                tx.removeLabel(robot, "Robot");
                tx.createNode(List.of("Robot", "Person"), Map.of("age", 30L));
            });
            both.check("after changes under the late index");

            List<IndexDefinition> indexes = scanned.graph.read(GraphView::indexes);
            try (LoggedGraph replayed = scanned.reopen()) {
                assertThat(replayed.graph.read(GraphView::indexes)).isEqualTo(indexes);
                Both.checkAgainstScan(replayed, "after replaying the late-indexed graph");
            }
        }
    }

    /** Applies the same changes to two graphs and compares their lookups with a scan. */
    private record Both(LoggedGraph indexed, LoggedGraph scanned) {

        private static final List<Object> EXTRA_PROBES = List.of(30L, 30, 30.0, 31L, "30", Double.NaN, -0.0, 0.0,
                new byte[] {1, 2}, new byte[] {2, 1}, new byte[0], List.of(), List.of(1L, 2L), List.of(1.0, 2.0),
                List.of(new byte[] {1}), false, true, 999L);

        long create(List<String> labels, Map<String, Object> properties) {
            long id = createNode(indexed.graph, labels, properties);
            assertThat(createNode(scanned.graph, labels, properties)).isEqualTo(id);
            return id;
        }

        void change(Consumer<Transaction> work) {
            indexed.graph.commit(tx -> {
                work.accept(tx);
                return null;
            });
            scanned.graph.commit(tx -> {
                work.accept(tx);
                return null;
            });
        }

        void check(String when) {
            GraphDump left = checkAgainstScan(indexed, when + " (graph indexed first)");
            GraphDump right = checkAgainstScan(scanned, when + " (graph indexed late)");
            assertThat(left.nodes()).as(when).isEqualTo(right.nodes());
        }

        static GraphDump checkAgainstScan(LoggedGraph graph, String when) {
            GraphDump dump = graph.dump();
            List<Object> probes = new ArrayList<>(EXTRA_PROBES);
            dump.nodes().values().forEach(node -> {
                Object age = node.properties().get("age");
                if (age != null) {
                    probes.add(age instanceof GraphDump.Bytes bytes ? java.util.HexFormat.of().parseHex(bytes.hex())
                            : rawList(age));
                }
            });
            for (String label : List.of("Person", "Robot", "Nobody")) {
                for (Object probe : probes) {
                    Object wanted = GraphDump.comparable(probe instanceof Integer i ? Long.valueOf(i) : probe);
                    List<Long> expected = dump.nodes().values().stream()
                            .filter(node -> node.labels().contains(label))
                            .filter(node -> wanted.equals(node.properties().get("age")))
                            .map(GraphDump.NodeState::id).toList();
                    List<Long> actual = graph.graph.read(v -> v.nodesWithProperty(label, "age", probe)).stream()
                            .map(Node::id).toList();
                    assertThat(actual).as("%s: %s with age %s", when, label, wanted).isEqualTo(expected);
                }
            }
            return dump;
        }

        /** Turns a comparable list back into a query value (byte arrays from their hex). */
        private static Object rawList(Object value) {
            if (value instanceof List<?> list) {
                return list.stream().map(element -> element instanceof GraphDump.Bytes bytes
                        ? java.util.HexFormat.of().parseHex(bytes.hex()) : element).toList();
            }
            return value;
        }
    }
}
