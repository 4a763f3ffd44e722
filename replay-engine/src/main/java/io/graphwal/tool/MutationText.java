package io.graphwal.tool;

import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import io.graphwal.graph.Mutation;

/**
 * Renders decoded mutations and property values as one readable line each, in a Cypher-like notation:
 * {@code create node 4 :Person {name: "Ann", age: 42}}, {@code create relationship 7 (4)-[:KNOWS]->(5)}.
 * Strings are quoted with JSON escapes; names that are not plain identifiers are quoted too, so a line
 * always reads unambiguously; byte arrays are hex, cut after {@value #MAX_BYTES_SHOWN} bytes.
 */
final class MutationText {

    static final int MAX_BYTES_SHOWN = 32;

    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private MutationText() {
    }

    static String format(Mutation mutation) {
        if (mutation instanceof Mutation.CreateNode m) {
            StringBuilder line = new StringBuilder("create node ").append(m.id());
            if (!m.labels().isEmpty()) {
                line.append(' ');
                m.labels().forEach(label -> line.append(':').append(name(label)));
            }
            return appendProperties(line, m.properties()).toString();
        }
        if (mutation instanceof Mutation.CreateRelationship m) {
            StringBuilder line = new StringBuilder("create relationship ").append(m.id()).append(" (")
                    .append(m.startNode()).append(")-[:").append(name(m.type())).append("]->(").append(m.endNode())
                    .append(')');
            return appendProperties(line, m.properties()).toString();
        }
        if (mutation instanceof Mutation.SetNodeProperty m) {
            return "set node " + m.node() + " property " + name(m.key()) + " = " + value(m.value());
        }
        if (mutation instanceof Mutation.RemoveNodeProperty m) {
            return "remove node " + m.node() + " property " + name(m.key());
        }
        if (mutation instanceof Mutation.AddLabel m) {
            return "add label :" + name(m.label()) + " to node " + m.node();
        }
        if (mutation instanceof Mutation.RemoveLabel m) {
            return "remove label :" + name(m.label()) + " from node " + m.node();
        }
        if (mutation instanceof Mutation.SetRelationshipProperty m) {
            return "set relationship " + m.relationship() + " property " + name(m.key()) + " = " + value(m.value());
        }
        if (mutation instanceof Mutation.RemoveRelationshipProperty m) {
            return "remove relationship " + m.relationship() + " property " + name(m.key());
        }
        if (mutation instanceof Mutation.DeleteRelationship m) {
            return "delete relationship " + m.relationship();
        }
        if (mutation instanceof Mutation.DeleteNode m) {
            return "delete node " + m.node();
        }
        if (mutation instanceof Mutation.DetachDeleteNode m) {
            return "detach delete node " + m.node();
        }
        if (mutation instanceof Mutation.CreateIndex m) {
            return "create index on :" + name(m.label()) + "(" + name(m.key()) + ")";
        }
        if (mutation instanceof Mutation.DropIndex m) {
            return "drop index on :" + name(m.label()) + "(" + name(m.key()) + ")";
        }
        return mutation.toString();
    }

    private static StringBuilder appendProperties(StringBuilder line, Map<String, Object> properties) {
        if (properties.isEmpty()) {
            return line;
        }
        line.append(" {");
        boolean first = true;
        for (Map.Entry<String, Object> entry : properties.entrySet()) {
            if (!first) {
                line.append(", ");
            }
            first = false;
            line.append(name(entry.getKey())).append(": ").append(value(entry.getValue()));
        }
        return line.append('}');
    }

    /** A label, type or key: as is when it is a plain identifier, else quoted. */
    static String name(String name) {
        return IDENTIFIER.matcher(name).matches() ? name : quote(name);
    }

    static String value(Object value) {
        if (value instanceof String s) {
            return quote(s);
        }
        if (value instanceof byte[] bytes) {
            return bytes(bytes);
        }
        if (value instanceof List<?> list) {
            StringBuilder text = new StringBuilder("[");
            for (int i = 0; i < list.size(); i++) {
                if (i > 0) {
                    text.append(", ");
                }
                text.append(value(list.get(i)));
            }
            return text.append(']').toString();
        }
        return String.valueOf(value);
    }

    private static String bytes(byte[] bytes) {
        HexFormat hex = HexFormat.of();
        if (bytes.length <= MAX_BYTES_SHOWN) {
            return "0x" + hex.formatHex(bytes);
        }
        return "0x" + hex.formatHex(bytes, 0, MAX_BYTES_SHOWN) + "... (" + bytes.length + " bytes)";
    }

    static String quote(String text) {
        StringBuilder quoted = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> quoted.append("\\\"");
                case '\\' -> quoted.append("\\\\");
                case '\n' -> quoted.append("\\n");
                case '\r' -> quoted.append("\\r");
                case '\t' -> quoted.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7F) {
                        quoted.append(String.format("\\u%04x", (int) c));
                    } else {
                        quoted.append(c);
                    }
                }
            }
        }
        return quoted.append('"').toString();
    }
}
