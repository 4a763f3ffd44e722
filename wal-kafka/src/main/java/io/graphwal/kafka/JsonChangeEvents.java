package io.graphwal.kafka;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import io.graphwal.graph.Mutation;
import io.graphwal.replay.CommittedTransaction;

/**
 * Writes a transaction as a JSON change event, schema version {@value #VERSION} (the replication page of the
 * docs describes it field by field). Written by hand rather than through a JSON library: the schema is small
 * and fixed, and this keeps the module free of a second Jackson next to the application's.
 */
final class JsonChangeEvents {

    /** The schema version, written as the event's {@code version} field; bumped on any incompatible change. */
    static final int VERSION = 1;

    private JsonChangeEvents() {
    }

    static byte[] encode(String graphId, CommittedTransaction transaction) {
        StringBuilder out = new StringBuilder(128 + 96 * transaction.mutations().size());
        out.append("{\"version\":").append(VERSION).append(",\"graphId\":");
        string(out, graphId);
        out.append(",\"lsn\":").append(transaction.lsn()).append(",\"committedAt\":");
        if (transaction.committedAt() == null) {
            out.append("null");
        } else {
            string(out, transaction.committedAt().toString());
        }
        out.append(",\"mutations\":[");
        boolean first = true;
        for (Mutation mutation : transaction.mutations()) {
            if (!first) {
                out.append(',');
            }
            first = false;
            mutation(out, mutation);
        }
        return out.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void mutation(StringBuilder out, Mutation mutation) {
        if (mutation instanceof Mutation.CreateNode m) {
            op(out, "createNode").append(",\"id\":").append(m.id()).append(",\"labels\":[");
            for (int i = 0; i < m.labels().size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                string(out, m.labels().get(i));
            }
            out.append("],\"properties\":");
            properties(out, m.properties());
        } else if (mutation instanceof Mutation.CreateRelationship m) {
            op(out, "createRelationship").append(",\"id\":").append(m.id()).append(",\"type\":");
            string(out, m.type());
            out.append(",\"start\":").append(m.startNode()).append(",\"end\":").append(m.endNode())
                    .append(",\"properties\":");
            properties(out, m.properties());
        } else if (mutation instanceof Mutation.SetNodeProperty m) {
            op(out, "setNodeProperty").append(",\"node\":").append(m.node());
            key(out, m.key()).append(",\"value\":");
            value(out, m.value());
        } else if (mutation instanceof Mutation.RemoveNodeProperty m) {
            op(out, "removeNodeProperty").append(",\"node\":").append(m.node());
            key(out, m.key());
        } else if (mutation instanceof Mutation.AddLabel m) {
            op(out, "addLabel").append(",\"node\":").append(m.node()).append(",\"label\":");
            string(out, m.label());
        } else if (mutation instanceof Mutation.RemoveLabel m) {
            op(out, "removeLabel").append(",\"node\":").append(m.node()).append(",\"label\":");
            string(out, m.label());
        } else if (mutation instanceof Mutation.SetRelationshipProperty m) {
            op(out, "setRelationshipProperty").append(",\"relationship\":").append(m.relationship());
            key(out, m.key()).append(",\"value\":");
            value(out, m.value());
        } else if (mutation instanceof Mutation.RemoveRelationshipProperty m) {
            op(out, "removeRelationshipProperty").append(",\"relationship\":").append(m.relationship());
            key(out, m.key());
        } else if (mutation instanceof Mutation.DeleteRelationship m) {
            op(out, "deleteRelationship").append(",\"relationship\":").append(m.relationship());
        } else if (mutation instanceof Mutation.DeleteNode m) {
            op(out, "deleteNode").append(",\"node\":").append(m.node());
        } else if (mutation instanceof Mutation.DetachDeleteNode m) {
            op(out, "detachDeleteNode").append(",\"node\":").append(m.node());
        } else if (mutation instanceof Mutation.CreateIndex m) {
            op(out, "createIndex").append(",\"label\":");
            string(out, m.label());
            key(out, m.key());
        } else if (mutation instanceof Mutation.DropIndex m) {
            op(out, "dropIndex").append(",\"label\":");
            string(out, m.label());
            key(out, m.key());
        } else {
            // A new mutation kind must get a documented JSON form (and a schema version) before it is published.
            throw new IllegalArgumentException("no JSON form for mutation " + mutation);
        }
        out.append('}');
    }

    private static StringBuilder op(StringBuilder out, String name) {
        return out.append("{\"op\":\"").append(name).append('"');
    }

    private static StringBuilder key(StringBuilder out, String key) {
        out.append(",\"key\":");
        string(out, key);
        return out;
    }

    private static void properties(StringBuilder out, Map<String, Object> properties) {
        out.append('{');
        boolean first = true;
        for (Map.Entry<String, Object> entry : properties.entrySet()) {
            if (!first) {
                out.append(',');
            }
            first = false;
            string(out, entry.getKey());
            out.append(':');
            value(out, entry.getValue());
        }
        out.append('}');
    }

    /** A tagged value, {@code {"type": ..., "value": ...}}, so that a long, a double and a list stay apart. */
    private static void value(StringBuilder out, Object value) {
        out.append("{\"type\":\"");
        if (value instanceof List<?> list) {
            out.append(list.isEmpty() ? "string" : typeOf(list.get(0))).append("[]\",\"value\":[");
            for (int i = 0; i < list.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                scalar(out, list.get(i));
            }
            out.append(']');
        } else {
            out.append(typeOf(value)).append("\",\"value\":");
            scalar(out, value);
        }
        out.append('}');
    }

    private static String typeOf(Object scalar) {
        if (scalar instanceof Boolean) {
            return "boolean";
        }
        if (scalar instanceof Long) {
            return "long";
        }
        if (scalar instanceof Double) {
            return "double";
        }
        if (scalar instanceof String) {
            return "string";
        }
        if (scalar instanceof byte[]) {
            return "bytes";
        }
        throw new IllegalArgumentException("not a property value: " + scalar.getClass().getName());
    }

    private static void scalar(StringBuilder out, Object scalar) {
        if (scalar instanceof Double d && (d.isNaN() || d.isInfinite())) {
            // JSON numbers have no NaN or infinities; the schema spells them as these three strings.
            string(out, d.isNaN() ? "NaN" : d > 0 ? "Infinity" : "-Infinity");
        } else if (scalar instanceof Boolean || scalar instanceof Long || scalar instanceof Double) {
            out.append(scalar);
        } else if (scalar instanceof String s) {
            string(out, s);
        } else if (scalar instanceof byte[] bytes) {
            out.append('"').append(Base64.getEncoder().encodeToString(bytes)).append('"');
        } else {
            throw new IllegalArgumentException("not a property value: " + scalar.getClass().getName());
        }
    }

    private static void string(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
