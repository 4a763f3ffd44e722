package io.graphwal.kafka;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;

import io.graphwal.graph.GraphView;
import io.graphwal.graph.IndexDefinition;
import io.graphwal.graph.Node;
import io.graphwal.graph.Relationship;
import io.graphwal.replay.GraphDatabase;

/**
 * Seeded random transactions that use every kind of mutation and every kind of property value, and the dump
 * of a graph as canonical text that the schema test's consumer writes too.
 */
final class Workload {

    private static final String[] LABELS = {"Person", "City", "Tag"};
    private static final String[] TYPES = {"KNOWS", "LIVES_IN"};
    private static final double[] SPECIAL_DOUBLES = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
        -0.0};
    private static final String[] KEYS = {"name", "age", "score", "flags", "blob", "tags", "note"};

    private final Random random;
    private final List<Long> nodes = new ArrayList<>();
    private final List<Long> relationships = new ArrayList<>();
    private long maxNode = -1;
    private long maxRelationship = -1;

    Workload(long seed) {
        this.random = new Random(seed);
    }

    void commit(GraphDatabase db, int transactions) {
        for (int i = 0; i < transactions; i++) {
            step(db);
        }
    }

    void step(GraphDatabase db) {
        db.commit(tx -> {
            for (int i = 1 + random.nextInt(4); i > 0; i--) {
                int choice = random.nextInt(100);
                if (choice < 30 || nodes.size() < 3) {
                    long id = tx.createNode(List.of(pick(LABELS)), Map.of(pick(KEYS), value()));
                    nodes.add(id);
                    maxNode = Math.max(maxNode, id);
                } else if (choice < 50) {
                    long id = tx.createRelationship(pickNode(), pickNode(), pick(TYPES), Map.of("since", value()));
                    relationships.add(id);
                    maxRelationship = Math.max(maxRelationship, id);
                } else if (choice < 62) {
                    tx.setNodeProperty(pickNode(), pick(KEYS), value());
                } else if (choice < 67) {
                    tx.removeNodeProperty(pickNode(), pick(KEYS));
                } else if (choice < 73) {
                    tx.addLabel(pickNode(), pick(LABELS));
                } else if (choice < 77) {
                    tx.removeLabel(pickNode(), pick(LABELS));
                } else if (choice < 83 && !relationships.isEmpty()) {
                    long rel = relationships.get(random.nextInt(relationships.size()));
                    if (random.nextBoolean()) {
                        tx.setRelationshipProperty(rel, "weight", value());
                    } else {
                        tx.removeRelationshipProperty(rel, "since");
                    }
                } else if (choice < 87 && !relationships.isEmpty()) {
                    tx.deleteRelationship(relationships.remove(random.nextInt(relationships.size())));
                } else if (choice < 91 && nodes.size() > 3) {
                    long node = nodes.remove(random.nextInt(nodes.size()));
                    tx.detachDeleteNode(node);
                    relationships.removeIf(rel -> !tx.relationshipExists(rel));
                } else if (choice < 94) {
                    long node = tx.createNode(List.of(), Map.of());
                    maxNode = Math.max(maxNode, node);
                    tx.deleteNode(node);
                } else if (choice < 97) {
                    tx.createIndex(pick(LABELS), pick(KEYS));
                } else {
                    tx.dropIndex(pick(LABELS), pick(KEYS));
                }
            }
            return null;
        });
    }

    private Object value() {
        return switch (random.nextInt(11)) {
            case 0 -> random.nextBoolean();
            case 1 -> random.nextLong();
            case 2 -> random.nextDouble() * 1e6;
            case 3 -> SPECIAL_DOUBLES[random.nextInt(SPECIAL_DOUBLES.length)];
            case 4 -> "text \"quoted\" \\ back\nline\t\u0001 \u00e9 \ud83d\ude00 " + random.nextInt(100);
            case 5 -> bytes();
            case 6 -> List.of(random.nextBoolean(), random.nextBoolean());
            case 7 -> List.of(random.nextLong(), (long) random.nextInt(10));
            case 8 -> List.of(random.nextDouble(), 2.5e-300);
            case 9 -> List.of("a", "b" + random.nextInt(9));
            default -> random.nextBoolean() ? List.of(bytes(), bytes()) : List.of();
        };
    }

    private byte[] bytes() {
        byte[] bytes = new byte[random.nextInt(6)];
        random.nextBytes(bytes);
        return bytes;
    }

    private long pickNode() {
        return nodes.get(random.nextInt(nodes.size()));
    }

    private String pick(String[] options) {
        return options[random.nextInt(options.length)];
    }

    /** The graph as canonical text: nodes, relationships and indexes by id, labels and keys sorted. */
    String dump(GraphView graph) {
        StringBuilder out = new StringBuilder();
        for (long id = 0; id <= maxNode; id++) {
            graph.node(id).ifPresent(node -> out.append(node(node)).append('\n'));
        }
        for (long id = 0; id <= maxRelationship; id++) {
            graph.relationship(id).ifPresent(rel -> out.append(relationship(rel)).append('\n'));
        }
        new TreeSet<>(graph.indexes().stream().map(Workload::index).toList()).forEach(i -> out.append(i).append('\n'));
        return out.toString();
    }

    private static String node(Node node) {
        return "node " + node.id() + " " + new TreeSet<>(node.labels()) + " " + properties(node.properties());
    }

    private static String relationship(Relationship rel) {
        return "rel " + rel.id() + " " + rel.type() + " " + rel.startNode() + "->" + rel.endNode() + " "
                + properties(rel.properties());
    }

    private static String index(IndexDefinition index) {
        return "index " + index.label() + "." + index.key();
    }

    private static String properties(Map<String, Object> properties) {
        Map<String, String> sorted = new TreeMap<>();
        properties.forEach((key, value) -> sorted.put(key, typed(value)));
        return sorted.toString();
    }

    /** A value as {@code type:text}, the form the schema test's consumer builds from the JSON tags. */
    static String typed(Object value) {
        if (value instanceof List<?> list) {
            String type = list.isEmpty() ? "string" : typed(list.get(0)).substring(0, typed(list.get(0)).indexOf(':'));
            return type + "[]:" + list.stream().map(v -> text(v)).toList();
        }
        String type = value instanceof Boolean ? "boolean" : value instanceof Long ? "long"
                : value instanceof Double ? "double" : value instanceof String ? "string" : "bytes";
        return type + ":" + text(value);
    }

    private static String text(Object value) {
        return value instanceof byte[] bytes ? Base64.getEncoder().encodeToString(bytes) : String.valueOf(value);
    }
}
