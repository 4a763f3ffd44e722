package io.graphwal.replay;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import io.graphwal.graph.Direction;
import io.graphwal.graph.GraphView;
import io.graphwal.graph.Node;
import io.graphwal.graph.Relationship;

/**
 * Seeded random write transactions over a small id space, and a canonical text dump of a graph, so tests can
 * compare a live graph with one rebuilt from snapshots and the log.
 */
final class RandomGraphWorkload {

    private static final String[] LABELS = {"Person", "City", "Company", "Tag"};
    private static final String[] TYPES = {"KNOWS", "LIVES_IN", "WORKS_AT"};
    private static final String[] KEYS = {"name", "age", "score", "tags", "blob", "active"};

    private final Random random;
    private final List<Long> nodes = new ArrayList<>();
    private final List<Long> relationships = new ArrayList<>();
    private long maxNodeId = -1;
    private long maxRelationshipId = -1;

    RandomGraphWorkload(long seed) {
        this.random = new Random(seed);
    }

    /** Commits one random transaction of one to five operations. */
    void step(GraphDatabase db) {
        db.commit(tx -> {
            int operations = 1 + random.nextInt(5);
            for (int i = 0; i < operations; i++) {
                int choice = random.nextInt(100);
                if (choice < 30 || nodes.size() < 3) {
                    long id = tx.createNode(List.of(pick(LABELS)), Map.of(pick(KEYS), value()));
                    nodes.add(id);
                    maxNodeId = Math.max(maxNodeId, id);
                } else if (choice < 55) {
                    long id = tx.createRelationship(pickNode(), pickNode(), pick(TYPES),
                            random.nextBoolean() ? Map.of() : Map.of("weight", random.nextDouble()));
                    relationships.add(id);
                    maxRelationshipId = Math.max(maxRelationshipId, id);
                } else if (choice < 70) {
                    tx.setNodeProperty(pickNode(), pick(KEYS), random.nextInt(5) == 0 ? null : value());
                } else if (choice < 78) {
                    tx.addLabel(pickNode(), pick(LABELS));
                } else if (choice < 83) {
                    tx.removeLabel(pickNode(), pick(LABELS));
                } else if (choice < 88 && !relationships.isEmpty()) {
                    long rel = relationships.remove(random.nextInt(relationships.size()));
                    tx.deleteRelationship(rel);
                } else if (choice < 91) {
                    long node = nodes.remove(random.nextInt(nodes.size()));
                    tx.detachDeleteNode(node);
                    relationships.removeIf(rel -> !tx.relationshipExists(rel));
                } else if (choice < 93) {
                    tx.createIndex(pick(LABELS), pick(KEYS));
                } else if (!relationships.isEmpty()) {
                    tx.setRelationshipProperty(relationships.get(random.nextInt(relationships.size())), "weight",
                            random.nextLong());
                }
            }
            return null;
        });
    }

    private String pick(String[] values) {
        return values[random.nextInt(values.length)];
    }

    private long pickNode() {
        return nodes.get(random.nextInt(nodes.size()));
    }

    private Object value() {
        return switch (random.nextInt(6)) {
            case 0 -> "v" + random.nextInt(1000);
            case 1 -> (long) random.nextInt(100);
            case 2 -> random.nextDouble();
            case 3 -> List.of("a" + random.nextInt(9), "b");
            case 4 -> new byte[] {(byte) random.nextInt(), 2, 3};
            default -> random.nextBoolean();
        };
    }

    /** A canonical dump of every node and relationship this workload may have created. */
    String dump(GraphView view) {
        StringBuilder out = new StringBuilder();
        out.append("nodes=").append(view.nodeCount()).append(" rels=").append(view.relationshipCount())
                .append(" labels=").append(view.labels()).append(" types=").append(view.relationshipTypes())
                .append(" indexes=").append(view.indexes()).append('\n');
        for (long id = 0; id <= maxNodeId; id++) {
            view.node(id).ifPresent(node -> out.append(format(node)).append(" out=")
                    .append(ids(view.relationships(node.id(), Direction.OUTGOING, null)))
                    .append(" in=").append(ids(view.relationships(node.id(), Direction.INCOMING, null)))
                    .append('\n'));
        }
        for (long id = 0; id <= maxRelationshipId; id++) {
            view.relationship(id).ifPresent(rel -> out.append(format(rel)).append('\n'));
        }
        return out.toString();
    }

    private static List<Long> ids(List<Relationship> relationships) {
        return relationships.stream().map(Relationship::id).toList();
    }

    private static String format(Node node) {
        return "node " + node.id() + " " + node.labels() + " " + properties(node.properties());
    }

    private static String format(Relationship rel) {
        return "rel " + rel.id() + " " + rel.type() + " " + rel.startNode() + "->" + rel.endNode() + " "
                + properties(rel.properties());
    }

    private static String properties(Map<String, Object> properties) {
        Map<String, String> sorted = new TreeMap<>();
        properties.forEach((key, value) -> sorted.put(key, value instanceof byte[] bytes ? Arrays.toString(bytes)
                : String.valueOf(value)));
        return new LinkedHashMap<>(sorted).toString();
    }
}
