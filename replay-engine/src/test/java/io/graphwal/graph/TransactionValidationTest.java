package io.graphwal.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.graphwal.graph.GraphValidationException.Reason;
import io.graphwal.wal.SyncMode;
import io.graphwal.wal.WalRecordTooLargeException;

/**
 * A write transaction that does not fit the graph is refused whole: it throws {@link GraphValidationException}
 * with the right reason, writes nothing to the log and changes nothing, even when it made valid changes
 * before the bad one; replaying the log then rebuilds exactly the graph that readers saw. Ids survive replay
 * and are never handed out twice.
 */
class TransactionValidationTest {

    @TempDir
    Path dir;

    /** Ids in the populated graph; {@code gone} and {@code goneRelationship} were created and then deleted. */
    private record Fixture(long ann, long bob, long carl, long knows, long gone, long goneRelationship) {
    }

    /** A transaction body that must be refused, and why. */
    private record Refusal(String name, Reason reason, BiConsumer<Transaction, Fixture> body) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static Fixture populate(Graph graph) {
        Fixture fixture = graph.commit(tx -> {
            long ann = tx.createNode(List.of("Person"),
                    Map.of("name", "Ann", "age", 41L, "photo", new byte[] {1, 2, 3}));
            long bob = tx.createNode(List.of("Person", "Employee"), Map.of("name", "Bob"));
            long carl = tx.createNode(List.of(), Map.of());
            long knows = tx.createRelationship(ann, bob, "KNOWS", Map.of("since", 2001L));
            long gone = tx.createNode(List.of("Temporary"), Map.of("name", "Gone"));
            long goneRelationship = tx.createRelationship(gone, ann, "TEMPORARY", Map.of());
            tx.createIndex("Person", "name");
            return new Fixture(ann, bob, carl, knows, gone, goneRelationship);
        }).value();
        graph.commit(tx -> {
            tx.detachDeleteNode(fixture.gone());
            return null;
        });
        return fixture;
    }

    /** A node that is valid to create, made before the bad call so that there is something to roll back. */
    private static long validWork(Transaction tx, Fixture f) {
        long fresh = tx.createNode(List.of("Person"), Map.of("name", "Fresh"));
        tx.setNodeProperty(f.ann(), "age", 42L);
        tx.createRelationship(fresh, f.carl(), "LIKES", Map.of());
        return fresh;
    }

    private static List<Refusal> refusals() {
        List<Refusal> list = new ArrayList<>();
        // ---- missing nodes and relationships -----------------------------------------------------------
        list.add(new Refusal("a relationship from a missing node", Reason.NOT_FOUND, (tx, f) -> {
            validWork(tx, f);
            tx.createRelationship(999, f.ann(), "KNOWS", Map.of());
        }));
        list.add(new Refusal("a relationship to a missing node", Reason.NOT_FOUND, (tx, f) -> {
            validWork(tx, f);
            tx.createRelationship(f.ann(), 999, "KNOWS", Map.of());
        }));
        list.add(new Refusal("a relationship to a node deleted in an earlier transaction", Reason.NOT_FOUND,
                (tx, f) -> tx.createRelationship(f.ann(), f.gone(), "KNOWS", Map.of())));
        list.add(new Refusal("a relationship to a node deleted earlier in the same transaction", Reason.NOT_FOUND,
                (tx, f) -> {
                    tx.deleteNode(f.carl());
                    tx.createRelationship(f.ann(), f.carl(), "KNOWS", Map.of());
                }));
        list.add(new Refusal("a relationship to a node detach-deleted earlier in the same transaction",
                Reason.NOT_FOUND, (tx, f) -> {
                    tx.detachDeleteNode(f.bob());
                    tx.createRelationship(f.bob(), f.carl(), "KNOWS", Map.of());
                }));
        list.add(new Refusal("a relationship to a node created and deleted in the same transaction",
                Reason.NOT_FOUND, (tx, f) -> {
                    long fresh = validWork(tx, f);
                    tx.detachDeleteNode(fresh);
                    tx.createRelationship(f.ann(), fresh, "KNOWS", Map.of());
                }));
        list.add(new Refusal("setting a property of a missing node", Reason.NOT_FOUND, (tx, f) -> {
            validWork(tx, f);
            tx.setNodeProperty(999, "name", "x");
        }));
        list.add(new Refusal("setting a property of a negative node id", Reason.NOT_FOUND,
                (tx, f) -> tx.setNodeProperty(-1, "name", "x")));
        list.add(new Refusal("adding a label to the largest node id", Reason.NOT_FOUND,
                (tx, f) -> tx.addLabel(Long.MAX_VALUE, "Person")));
        list.add(new Refusal("setting a property of a node deleted in an earlier transaction", Reason.NOT_FOUND,
                (tx, f) -> tx.setNodeProperty(f.gone(), "name", "back")));
        list.add(new Refusal("setting a property of a node deleted earlier in the same transaction",
                Reason.NOT_FOUND, (tx, f) -> {
                    tx.deleteNode(f.carl());
                    tx.setNodeProperty(f.carl(), "name", "x");
                }));
        list.add(new Refusal("removing a property of a missing node", Reason.NOT_FOUND,
                (tx, f) -> tx.removeNodeProperty(999, "name")));
        list.add(new Refusal("adding a label to a missing node", Reason.NOT_FOUND,
                (tx, f) -> tx.addLabel(999, "Person")));
        list.add(new Refusal("removing a label from a missing node", Reason.NOT_FOUND,
                (tx, f) -> tx.removeLabel(999, "Person")));
        list.add(new Refusal("deleting a missing node", Reason.NOT_FOUND, (tx, f) -> {
            validWork(tx, f);
            tx.deleteNode(999);
        }));
        list.add(new Refusal("detach-deleting a missing node", Reason.NOT_FOUND, (tx, f) -> tx.detachDeleteNode(999)));
        list.add(new Refusal("detach-deleting a node deleted in an earlier transaction", Reason.NOT_FOUND,
                (tx, f) -> tx.detachDeleteNode(f.gone())));
        list.add(new Refusal("deleting a node twice in one transaction", Reason.NOT_FOUND, (tx, f) -> {
            tx.deleteNode(f.carl());
            tx.deleteNode(f.carl());
        }));
        list.add(new Refusal("setting a property of a missing relationship", Reason.NOT_FOUND, (tx, f) -> {
            validWork(tx, f);
            tx.setRelationshipProperty(999, "since", 1L);
        }));
        list.add(new Refusal("removing a property of a missing relationship", Reason.NOT_FOUND,
                (tx, f) -> tx.removeRelationshipProperty(999, "since")));
        list.add(new Refusal("deleting a missing relationship", Reason.NOT_FOUND,
                (tx, f) -> tx.deleteRelationship(999)));
        list.add(new Refusal("deleting a relationship deleted in an earlier transaction", Reason.NOT_FOUND,
                (tx, f) -> tx.deleteRelationship(f.goneRelationship())));
        list.add(new Refusal("deleting a relationship twice in one transaction", Reason.NOT_FOUND, (tx, f) -> {
            tx.deleteRelationship(f.knows());
            tx.deleteRelationship(f.knows());
        }));
        list.add(new Refusal("setting a property of a relationship whose node was detach-deleted", Reason.NOT_FOUND,
                (tx, f) -> {
                    tx.detachDeleteNode(f.bob());
                    tx.setRelationshipProperty(f.knows(), "since", 1L);
                }));
        list.add(new Refusal("setting a property of a negative relationship id", Reason.NOT_FOUND,
                (tx, f) -> tx.setRelationshipProperty(-5, "since", 1L)));
        // ---- deleting a node that still has relationships ----------------------------------------------
        list.add(new Refusal("deleting the start node of a relationship", Reason.CONFLICT, (tx, f) -> {
            validWork(tx, f);
            tx.deleteNode(f.ann());
        }));
        list.add(new Refusal("deleting the end node of a relationship", Reason.CONFLICT,
                (tx, f) -> tx.deleteNode(f.bob())));
        list.add(new Refusal("deleting a node given a relationship earlier in the same transaction",
                Reason.CONFLICT, (tx, f) -> {
                    tx.createRelationship(f.ann(), f.carl(), "LIKES", Map.of());
                    tx.deleteNode(f.carl());
                }));
        list.add(new Refusal("deleting a node given a self-loop earlier in the same transaction", Reason.CONFLICT,
                (tx, f) -> {
                    tx.createRelationship(f.carl(), f.carl(), "SELF", Map.of());
                    tx.deleteNode(f.carl());
                }));
        list.add(new Refusal("deleting a node created with a relationship in the same transaction",
                Reason.CONFLICT, (tx, f) -> {
                    long fresh = validWork(tx, f);
                    tx.deleteNode(fresh);
                }));
        // ---- invalid names -----------------------------------------------------------------------------
        list.add(new Refusal("an empty label on a new node", Reason.INVALID, (tx, f) -> {
            validWork(tx, f);
            tx.createNode(List.of("Person", ""), Map.of());
        }));
        list.add(new Refusal("a null label on a new node", Reason.INVALID,
                (tx, f) -> tx.createNode(Arrays.asList("Person", null), Map.of())));
        list.add(new Refusal("adding an empty label", Reason.INVALID, (tx, f) -> tx.addLabel(f.ann(), "")));
        list.add(new Refusal("adding a null label", Reason.INVALID, (tx, f) -> tx.addLabel(f.ann(), null)));
        list.add(new Refusal("removing an empty label", Reason.INVALID, (tx, f) -> tx.removeLabel(f.ann(), "")));
        list.add(new Refusal("an empty property key on a new node", Reason.INVALID,
                (tx, f) -> tx.createNode(List.of(), Map.of("", 1L))));
        list.add(new Refusal("a null property key on a new node", Reason.INVALID, (tx, f) -> {
            Map<String, Object> properties = new HashMap<>();
            properties.put(null, 1L);
            tx.createNode(List.of(), properties);
        }));
        list.add(new Refusal("an empty property key on a new relationship", Reason.INVALID,
                (tx, f) -> tx.createRelationship(f.ann(), f.bob(), "KNOWS", Map.of("", 1L))));
        list.add(new Refusal("setting a node property with an empty key", Reason.INVALID,
                (tx, f) -> tx.setNodeProperty(f.ann(), "", 1L)));
        list.add(new Refusal("setting a node property with a null key", Reason.INVALID,
                (tx, f) -> tx.setNodeProperty(f.ann(), null, 1L)));
        list.add(new Refusal("removing a node property with an empty key", Reason.INVALID,
                (tx, f) -> tx.removeNodeProperty(f.ann(), "")));
        list.add(new Refusal("setting a relationship property with an empty key", Reason.INVALID,
                (tx, f) -> tx.setRelationshipProperty(f.knows(), "", 1L)));
        list.add(new Refusal("an empty relationship type", Reason.INVALID, (tx, f) -> {
            validWork(tx, f);
            tx.createRelationship(f.ann(), f.bob(), "", Map.of());
        }));
        list.add(new Refusal("a null relationship type", Reason.INVALID,
                (tx, f) -> tx.createRelationship(f.ann(), f.bob(), null, Map.of())));
        list.add(new Refusal("an index with an empty label", Reason.INVALID, (tx, f) -> tx.createIndex("", "name")));
        list.add(new Refusal("an index with an empty key", Reason.INVALID, (tx, f) -> tx.createIndex("Person", "")));
        list.add(new Refusal("dropping an index with an empty label", Reason.INVALID,
                (tx, f) -> tx.dropIndex("", "name")));
        // ---- unsupported values ------------------------------------------------------------------------
        Map<String, Object> unsupported = new java.util.LinkedHashMap<>();
        unsupported.put("an Object", new Object());
        unsupported.put("a Character", 'c');
        unsupported.put("a BigDecimal", new BigDecimal("1.5"));
        unsupported.put("a char array", new char[] {'a'});
        unsupported.put("a map", Map.of("k", 1L));
        unsupported.put("a set", Set.of(1L));
        unsupported.put("an Optional", Optional.of(1L));
        unsupported.put("a mixed list", List.of(1L, "x"));
        unsupported.put("a list of longs and doubles", List.of(1L, 2.0));
        unsupported.put("a list of booleans and strings", List.of(true, "true"));
        unsupported.put("a mixed array", new Object[] {"a", 1L});
        unsupported.put("a list holding a null", Arrays.asList("a", null));
        unsupported.put("an array holding a null", new String[] {null});
        unsupported.put("a nested list", List.of(List.of(1L)));
        unsupported.put("a list of objects", List.of(new Object()));
        unsupported.forEach((what, value) -> {
            list.add(new Refusal("a new node with " + what, Reason.INVALID, (tx, f) -> {
                validWork(tx, f);
                tx.createNode(List.of("Person"), Map.of("name", "X", "bad", value));
            }));
            list.add(new Refusal("a new relationship with " + what, Reason.INVALID,
                    (tx, f) -> tx.createRelationship(f.ann(), f.bob(), "KNOWS", Map.of("bad", value))));
            list.add(new Refusal("setting a node property to " + what, Reason.INVALID,
                    (tx, f) -> tx.setNodeProperty(f.ann(), "name", value)));
            list.add(new Refusal("setting a relationship property to " + what, Reason.INVALID,
                    (tx, f) -> tx.setRelationshipProperty(f.knows(), "since", value)));
        });
        return list;
    }

    @ParameterizedTest
    @EnumSource(SyncMode.class)
    void everyRefusedTransactionLogsNothingAndChangesNothingAndReplayRebuildsTheSameGraph(SyncMode mode) {
        GraphDump before;
        try (LoggedGraph live = LoggedGraph.open(dir, mode)) {
            Fixture f = populate(live.graph);
            before = live.dump();
            long lsn = live.appendedLsn();
            for (Refusal refusal : refusals()) {
                Throwable thrown = catchThrowable(() -> live.graph.commit(tx -> {
                    refusal.body().accept(tx, f);
                    return null;
                }));
                assertThat(thrown).as(refusal.name()).isInstanceOf(GraphValidationException.class);
                assertThat(((GraphValidationException) thrown).reason()).as(refusal.name() + ": " + thrown.getMessage())
                        .isEqualTo(refusal.reason());
                assertThat(thrown.getMessage()).as(refusal.name()).isNotBlank();
                assertThat(live.appendedLsn()).as(refusal.name() + " logs nothing").isEqualTo(lsn);
                assertThat(live.dump()).as(refusal.name() + " changes nothing").isEqualTo(before);
            }
            try (LoggedGraph replayed = live.reopen()) {
                assertThat(replayed.dump()).isEqualTo(before);
            }
        }
    }

    /**
     * The log stores strings as UTF-8, which has no form for a lone UTF-16 surrogate (the encoder writes '?'
     * instead). Accepting one would show readers a string that replay turns into another, and would merge
     * distinct labels, types or keys; so such strings are refused.
     */
    @Test
    void stringsWithALoneSurrogateAreRefusedBecauseTheLogCouldNotReplayThem() {
        List<Refusal> refusals = new ArrayList<>();
        for (String bad : List.of("\uD800", "high \uD83D at the end \uD83D", "\uDE80 low first", "\uDE80\uD83D")) {
            String shown = bad.chars().mapToObj(c -> String.format("\\u%04x", c)).reduce("", String::concat);
            refusals.add(new Refusal("label " + shown, Reason.INVALID,
                    (tx, f) -> tx.createNode(List.of(bad), Map.of())));
            refusals.add(new Refusal("added label " + shown, Reason.INVALID, (tx, f) -> tx.addLabel(f.ann(), bad)));
            refusals.add(new Refusal("relationship type " + shown, Reason.INVALID,
                    (tx, f) -> tx.createRelationship(f.ann(), f.bob(), bad, Map.of())));
            refusals.add(new Refusal("property key " + shown, Reason.INVALID,
                    (tx, f) -> tx.createNode(List.of(), Map.of(bad, 1L))));
            refusals.add(new Refusal("set property key " + shown, Reason.INVALID,
                    (tx, f) -> tx.setRelationshipProperty(f.knows(), bad, 1L)));
            refusals.add(new Refusal("property value " + shown, Reason.INVALID,
                    (tx, f) -> tx.setNodeProperty(f.ann(), "name", bad)));
            refusals.add(new Refusal("list element " + shown, Reason.INVALID,
                    (tx, f) -> tx.setNodeProperty(f.ann(), "names", List.of("fine", bad))));
            refusals.add(new Refusal("array element " + shown, Reason.INVALID,
                    (tx, f) -> tx.createRelationship(f.ann(), f.bob(), "KNOWS", Map.of("names", new String[] {bad}))));
            refusals.add(new Refusal("index key " + shown, Reason.INVALID, (tx, f) -> tx.createIndex("Person", bad)));
        }
        try (LoggedGraph live = LoggedGraph.open(dir, SyncMode.NONE)) {
            Fixture f = populate(live.graph);
            GraphDump before = live.dump();
            long lsn = live.appendedLsn();
            for (Refusal refusal : refusals) {
                Throwable thrown = catchThrowable(() -> live.graph.commit(tx -> {
                    refusal.body().accept(tx, f);
                    return null;
                }));
                assertThat(thrown).as(refusal.name()).isInstanceOf(GraphValidationException.class);
                assertThat(((GraphValidationException) thrown).reason()).as(refusal.name())
                        .isEqualTo(Reason.INVALID);
                assertThat(live.appendedLsn()).as(refusal.name() + " logs nothing").isEqualTo(lsn);
            }
            // Well-formed supplementary characters (surrogate pairs) are fine and survive replay.
            live.graph.commit(tx -> {
                long rocket = tx.createNode(List.of("🚀"), Map.of("𝄞", "music 𝄞", "list", List.of("🚀", "é")));
                return tx.createRelationship(rocket, f.ann(), "➡🚀", Map.of("🚀", "🚀"));
            });
            GraphDump after = live.dump();
            assertThat(after).isNotEqualTo(before);
            assertThat(after.labels()).containsKey("🚀");
            try (LoggedGraph replayed = live.reopen()) {
                assertThat(replayed.dump()).isEqualTo(after);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(SyncMode.class)
    void aTransactionTooLargeForOneLogRecordIsRefusedWholeAndChangesNothing(SyncMode mode) {
        try (LoggedGraph live = LoggedGraph.open(dir, mode, config -> config.maxRecordSize(4096))) {
            Fixture f = populate(live.graph);
            GraphDump before = live.dump();
            long lsn = live.appendedLsn();

            Throwable thrown = catchThrowable(() -> live.graph.commit(tx -> {
                validWork(tx, f);
                return tx.createNode(List.of("Big"), Map.of("blob", new byte[5000]));
            }));

            assertThat(thrown).isInstanceOf(WalRecordTooLargeException.class);
            assertThat(live.appendedLsn()).isEqualTo(lsn);
            assertThat(live.dump()).isEqualTo(before);
            long next = live.graph.commit(tx -> tx.createNode(List.of("Small"), Map.of("blob", new byte[100])))
                    .value();
            assertThat(live.graph.node(next)).as("the graph carries on").isPresent();
            GraphDump after = live.dump();
            try (LoggedGraph replayed = live.reopen()) {
                assertThat(replayed.dump()).isEqualTo(after);
            }
        }
    }

    @Test
    void aTransactionWhoseFunctionThrowsLogsNothingAndChangesNothing() {
        try (LoggedGraph live = LoggedGraph.open(dir, SyncMode.NONE)) {
            Fixture f = populate(live.graph);
            GraphDump before = live.dump();
            long lsn = live.appendedLsn();
            IllegalStateException own = new IllegalStateException("the application changed its mind");

            Throwable thrown = catchThrowable(() -> live.graph.commit(tx -> {
                validWork(tx, f);
                tx.detachDeleteNode(f.bob());
                throw own;
            }));

            assertThat(thrown).isSameAs(own);
            assertThat(live.appendedLsn()).isEqualTo(lsn);
            assertThat(live.dump()).isEqualTo(before);
            try (LoggedGraph replayed = live.reopen()) {
                assertThat(replayed.dump()).isEqualTo(before);
            }
        }
    }

    @Test
    void aRefusedCallThatTheFunctionCatchesLeavesNoTraceInItsTransaction() {
        try (LoggedGraph live = LoggedGraph.open(dir, SyncMode.NONE)) {
            Fixture f = populate(live.graph);
            long fresh = live.graph.commit(tx -> {
                long node = tx.createNode(List.of("Person"), Map.of("name", "Dan"));
                assertThatThrownBy(() -> tx.deleteNode(f.ann())).isInstanceOf(GraphValidationException.class);
                assertThatThrownBy(() -> tx.createRelationship(node, 999, "KNOWS", Map.of()))
                        .isInstanceOf(GraphValidationException.class);
                assertThatThrownBy(() -> tx.createNode(List.of("Person"), Map.of("bad", new Object())))
                        .isInstanceOf(GraphValidationException.class);
                assertThatThrownBy(() -> tx.setNodeProperty(node, "bad", List.of(1L, "x")))
                        .isInstanceOf(GraphValidationException.class);
                tx.createRelationship(node, f.ann(), "KNOWS", Map.of());
                return node;
            }).value();

            GraphDump after = live.dump();
            assertThat(after.nodes()).containsKeys(f.ann(), fresh);
            assertThat(after.nodes().get(fresh).properties()).containsOnlyKeys("name");
            assertThat(after.nodeCount()).isEqualTo(4);
            assertThat(after.relationshipCount()).isEqualTo(2);
            assertThat(after.nodes().get(fresh).outgoing()).hasSize(1);
            try (LoggedGraph replayed = live.reopen()) {
                assertThat(replayed.dump()).isEqualTo(after);
            }
        }
    }

    @Test
    void aTransactionThatChangesNothingIsNotLogged() {
        try (LoggedGraph live = LoggedGraph.open(dir, SyncMode.NONE)) {
            Fixture f = populate(live.graph);
            long lsn = live.appendedLsn();

            Commit<Boolean> commit = live.graph.commit(tx -> tx.nodeExists(f.ann()) && !tx.relationshipExists(999));

            assertThat(commit.value()).isTrue();
            assertThat(commit.lsn()).isZero();
            assertThat(commit.durable()).isCompleted();
            assertThat(live.appendedLsn()).isEqualTo(lsn);
        }
    }

    @Test
    void aTransactionCannotBeUsedAfterItsCommit() {
        try (LoggedGraph live = LoggedGraph.open(dir, SyncMode.NONE)) {
            AtomicReference<Transaction> escaped = new AtomicReference<>();
            live.graph.commit(tx -> {
                escaped.set(tx);
                return tx.createNode(List.of("A"), Map.of());
            });
            GraphDump before = live.dump();
            long lsn = live.appendedLsn();

            assertThatThrownBy(() -> escaped.get().createNode(List.of("B"), Map.of()))
                    .isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> escaped.get().nodeExists(0)).isInstanceOf(IllegalStateException.class);
            assertThat(live.appendedLsn()).isEqualTo(lsn);
            assertThat(live.dump()).isEqualTo(before);
        }
    }

    @Test
    void idsAreTheSameAfterReplayAndNewIdsContinueAboveEveryLoggedOne() {
        List<Long> nodes = new ArrayList<>();
        List<Long> relationships = new ArrayList<>();
        GraphDump before;
        try (LoggedGraph live = LoggedGraph.open(dir, SyncMode.NONE)) {
            for (int i = 0; i < 5; i++) {
                nodes.add(live.graph.commit(tx -> tx.createNode(List.of("N"), Map.of())).value());
            }
            for (int i = 0; i < 4; i++) {
                long start = nodes.get(i);
                long end = nodes.get(i + 1);
                relationships.add(live.graph.commit(tx -> tx.createRelationship(start, end, "NEXT", Map.of()))
                        .value());
            }
            // The newest node and relationship go, so their ids are the high-water marks only the log remembers.
            live.graph.commit(tx -> {
                tx.detachDeleteNode(nodes.get(4));
                return null;
            });
            before = live.dump();
            assertThat(before.nodes().keySet()).containsExactlyElementsOf(nodes.subList(0, 4));
            assertThat(before.relationships().keySet()).containsExactlyElementsOf(relationships.subList(0, 3));

            try (LoggedGraph replayed = live.reopen()) {
                GraphDump after = replayed.dump();
                assertThat(after).isEqualTo(before);
                for (long id : nodes.subList(0, 4)) {
                    assertThat(replayed.graph.node(id)).hasValueSatisfying(n -> assertThat(n.labels())
                            .containsExactly("N"));
                }
                long newNode = replayed.graph.commit(tx -> tx.createNode(List.of("N"), Map.of())).value();
                long newRelationship = replayed.graph.commit(tx -> tx.createRelationship(newNode, nodes.get(0),
                        "NEXT", Map.of())).value();
                assertThat(newNode).isGreaterThan(nodes.stream().mapToLong(Long::longValue).max().orElseThrow());
                assertThat(newRelationship)
                        .isGreaterThan(relationships.stream().mapToLong(Long::longValue).max().orElseThrow());
            }
        }
    }

    @Test
    void deletedIdsAreNeverReusedWithinAProcess() {
        try (LoggedGraph live = LoggedGraph.open(dir, SyncMode.NONE)) {
            Set<Long> nodeIds = new java.util.HashSet<>();
            Set<Long> relationshipIds = new java.util.HashSet<>();
            long anchor = live.graph.commit(tx -> tx.createNode(List.of(), Map.of())).value();
            nodeIds.add(anchor);
            for (int round = 0; round < 50; round++) {
                long[] ids = live.graph.commit(tx -> {
                    long node = tx.createNode(List.of("T"), Map.of());
                    long relationship = tx.createRelationship(anchor, node, "R", Map.of());
                    return new long[] {node, relationship};
                }).value();
                assertThat(nodeIds.add(ids[0])).as("node id %d is new", ids[0]).isTrue();
                assertThat(relationshipIds.add(ids[1])).as("relationship id %d is new", ids[1]).isTrue();
                if (round % 2 == 0) {
                    live.graph.commit(tx -> {
                        tx.detachDeleteNode(ids[0]);
                        return null;
                    });
                } else {
                    live.graph.commit(tx -> {
                        tx.deleteRelationship(ids[1]);
                        tx.deleteNode(ids[0]);
                        return null;
                    });
                }
                // Ids taken by a refused transaction are not handed out again either.
                catchThrowable(() -> live.graph.commit(tx -> {
                    nodeIds.add(tx.createNode(List.of(), Map.of()));
                    throw new IllegalStateException("abandoned");
                }));
            }
            assertThat(live.graph.read(GraphView::nodeCount)).isEqualTo(1);
        }
    }
}
