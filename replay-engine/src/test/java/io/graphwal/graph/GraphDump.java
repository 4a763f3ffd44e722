package io.graphwal.graph;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Everything a graph answers about itself, in a form that compares by value: every node and relationship by
 * id (labels, type, endpoints, properties, and each node's relationship lists), the counts, the label and
 * type tallies, each label's member list and the index definitions. Byte arrays become {@link Bytes}, so
 * two dumps are equal exactly when the graphs hold the same data.
 *
 * @param lsn the LSN of the newest transaction the graph includes
 * @param nodeCount what the graph says its node count is
 * @param relationshipCount what the graph says its relationship count is
 * @param labels label tallies
 * @param relationshipTypes relationship type tallies
 * @param indexes index definitions, in creation order
 * @param nodesByLabel each label's members, by ascending id
 * @param nodes every node by id
 * @param relationships every relationship by id
 */
record GraphDump(long lsn, long nodeCount, long relationshipCount, Map<String, Long> labels,
        Map<String, Long> relationshipTypes, List<IndexDefinition> indexes, Map<String, List<Long>> nodesByLabel,
        SortedMap<Long, NodeState> nodes, SortedMap<Long, RelationshipState> relationships) {

    /**
     * A node with its relationship ids per direction, each list sorted.
     *
     * @param id the id
     * @param labels its labels, sorted
     * @param properties its properties, comparable
     * @param outgoing ids of relationships that start at it
     * @param incoming ids of relationships that end at it
     * @param both ids of every relationship that touches it
     */
    record NodeState(long id, List<String> labels, SortedMap<String, Object> properties, List<Long> outgoing,
            List<Long> incoming, List<Long> both) {
    }

    /**
     * A relationship.
     *
     * @param id the id
     * @param type its type
     * @param startNode where it starts
     * @param endNode where it ends
     * @param properties its properties, comparable
     */
    record RelationshipState(long id, String type, long startNode, long endNode, SortedMap<String, Object> properties) {
    }

    /**
     * A byte array compared by content.
     *
     * @param hex its bytes in hex
     */
    record Bytes(String hex) {
    }

    /**
     * Reads everything from a graph in one consistent view.
     *
     * @param graph the graph
     * @param store its store, whose id high-water marks bound the scan (nothing exists at or above them)
     * @return the dump
     */
    static GraphDump of(Graph graph, GraphStore store) {
        return graph.read(view -> {
            SortedMap<Long, NodeState> nodes = new TreeMap<>();
            for (long id = 0; id < store.nextNodeId; id++) {
                long nodeId = id;
                view.node(id).ifPresent(node -> nodes.put(nodeId, new NodeState(node.id(), node.labels(),
                        comparable(node.properties()), ids(view.relationships(nodeId, Direction.OUTGOING, null)),
                        ids(view.relationships(nodeId, Direction.INCOMING, null)),
                        ids(view.relationships(nodeId, Direction.BOTH, null)))));
            }
            SortedMap<Long, RelationshipState> relationships = new TreeMap<>();
            for (long id = 0; id < store.nextRelationshipId; id++) {
                view.relationship(id).ifPresent(r -> relationships.put(r.id(), new RelationshipState(r.id(),
                        r.type(), r.startNode(), r.endNode(), comparable(r.properties()))));
            }
            Map<String, List<Long>> byLabel = new TreeMap<>();
            for (String label : view.labels().keySet()) {
                byLabel.put(label, view.nodesWithLabel(label).stream().map(Node::id).toList());
            }
            return new GraphDump(view.lsn(), view.nodeCount(), view.relationshipCount(), new TreeMap<>(view.labels()),
                    new TreeMap<>(view.relationshipTypes()), List.copyOf(view.indexes()), byLabel, nodes,
                    relationships);
        });
    }

    /**
     * Builds the dump that a correct graph holding exactly these nodes and relationships would give.
     *
     * @param lsn its LSN
     * @param nodes id to (sorted labels, properties)
     * @param relationships the relationships
     * @param indexes the index definitions in creation order
     * @return the dump
     */
    static GraphDump expected(long lsn, Map<Long, Map.Entry<List<String>, Map<String, Object>>> nodes,
            List<Relationship> relationships, List<IndexDefinition> indexes) {
        SortedMap<Long, RelationshipState> rels = new TreeMap<>();
        Map<String, Long> types = new TreeMap<>();
        for (Relationship r : relationships) {
            rels.put(r.id(), new RelationshipState(r.id(), r.type(), r.startNode(), r.endNode(),
                    comparable(r.properties())));
            types.merge(r.type(), 1L, Long::sum);
        }
        Map<Long, List<Long>> outgoing = new HashMap<>();
        Map<Long, List<Long>> incoming = new HashMap<>();
        for (RelationshipState r : rels.values()) { // by ascending id, so the lists come out sorted
            outgoing.computeIfAbsent(r.startNode(), key -> new ArrayList<>()).add(r.id());
            incoming.computeIfAbsent(r.endNode(), key -> new ArrayList<>()).add(r.id());
        }
        SortedMap<Long, NodeState> nodeStates = new TreeMap<>();
        Map<String, Long> labels = new TreeMap<>();
        Map<String, List<Long>> byLabel = new TreeMap<>();
        for (Map.Entry<Long, Map.Entry<List<String>, Map<String, Object>>> entry : new TreeMap<>(nodes).entrySet()) {
            long id = entry.getKey();
            List<Long> out = outgoing.getOrDefault(id, List.of());
            List<Long> in = incoming.getOrDefault(id, List.of());
            TreeSet<Long> both = new TreeSet<>(out);
            both.addAll(in);
            List<String> nodeLabels = new ArrayList<>(new TreeSet<>(entry.getValue().getKey()));
            for (String label : nodeLabels) {
                labels.merge(label, 1L, Long::sum);
                byLabel.computeIfAbsent(label, key -> new ArrayList<>()).add(id);
            }
            nodeStates.put(id, new NodeState(id, nodeLabels, comparable(entry.getValue().getValue()), out, in,
                    new ArrayList<>(both)));
        }
        return new GraphDump(lsn, nodeStates.size(), rels.size(), labels, types, List.copyOf(indexes), byLabel,
                nodeStates, rels);
    }

    /**
     * Checks that the graph's answers agree with each other: counts and tallies match the entities, label
     * member lists match the nodes' labels, and each node's relationship lists match the relationships.
     *
     * @return this dump, for chaining
     */
    GraphDump checkConsistent() {
        for (RelationshipState r : relationships.values()) {
            if (!nodes.containsKey(r.startNode()) || !nodes.containsKey(r.endNode())) {
                throw new AssertionError("Relationship " + r + " has an endpoint that is not a node: " + this);
            }
        }
        GraphDump derived = expected(lsn, toEntries(), toRelationships(), indexes);
        if (!derived.equals(this)) {
            throw new AssertionError("The graph contradicts itself.\n  it says: " + this + "\n  derived: " + derived);
        }
        return this;
    }

    private Map<Long, Map.Entry<List<String>, Map<String, Object>>> toEntries() {
        Map<Long, Map.Entry<List<String>, Map<String, Object>>> entries = new TreeMap<>();
        nodes.forEach((id, node) -> entries.put(id, Map.entry(node.labels(), new TreeMap<>(node.properties()))));
        return entries;
    }

    private List<Relationship> toRelationships() {
        List<Relationship> list = new ArrayList<>();
        relationships.values().forEach(r -> list.add(new Relationship(r.id(), r.type(), r.startNode(), r.endNode(),
                r.properties())));
        return list;
    }

    private static List<Long> ids(List<Relationship> relationships) {
        return relationships.stream().map(Relationship::id).sorted().toList();
    }

    /**
     * Converts properties to a form that compares by value.
     *
     * @param properties the properties as read
     * @return a sorted map of comparable values
     */
    static SortedMap<String, Object> comparable(Map<String, Object> properties) {
        SortedMap<String, Object> result = new TreeMap<>();
        properties.forEach((key, value) -> result.put(key, comparable(value)));
        return result;
    }

    /**
     * Converts one value to a form that compares by value: byte arrays by content, lists element by element.
     *
     * @param value a property value
     * @return the comparable form
     */
    static Object comparable(Object value) {
        if (value instanceof byte[] bytes) {
            return new Bytes(HexFormat.of().formatHex(bytes));
        }
        if (value instanceof Bytes) {
            return value;
        }
        if (value instanceof List<?> list) {
            return list.stream().map(GraphDump::comparable).toList();
        }
        return value;
    }
}
