package io.graphwal.sample;

import java.util.List;
import java.util.Locale;

import org.springframework.stereotype.Service;

import io.graphwal.graph.Direction;
import io.graphwal.graph.Node;
import io.graphwal.replay.GraphDatabase;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * The single-resource operations of the API: each write is one transaction, each read one consistent view.
 * Results are read back after the commit, so a response shows what the graph holds (labels sorted and
 * de-duplicated, numbers widened), not an echo of the request. Stateless, so requests call it concurrently:
 * the database runs one writer at a time and lets readers go on beside it.
 */
@Service
class GraphService {

    private final GraphDatabase db;
    private final JsonMapper json;

    GraphService(GraphDatabase db, JsonMapper json) {
        this.db = db;
        this.json = json;
    }

    NodeJson createNode(NodeRequest request) {
        long id = db.commit(tx -> Writes.createNode(tx, request.labels(), request.properties(), "")).value();
        return node(id);
    }

    NodeJson node(long id) {
        return db.read(view -> view.node(id)).map(NodeJson::of).orElseThrow(() -> Writes.notFound("Node", id));
    }

    NodeJson updateNode(long id, NodePatch patch) {
        db.commit(tx -> {
            Writes.updateNode(tx, id, patch, "");
            return null;
        });
        return node(id);
    }

    void deleteNode(long id, boolean detach) {
        db.commit(tx -> {
            Writes.deleteNode(tx, id, detach);
            return null;
        });
    }

    List<NodeJson> findNodes(String label, String key, String value) {
        if (key == null && value == null) {
            return db.read(view -> view.nodesWithLabel(label)).stream().map(NodeJson::of).toList();
        }
        if (key == null || value == null) {
            throw InvalidRequestException.parameter(key == null ? "key" : "value",
                    "is required when '" + (key == null ? "value" : "key") + "' is given");
        }
        Object wanted = queryValue(value);
        List<Node> nodes = db.read(view -> view.nodesWithProperty(label, key, wanted));
        return nodes.stream().map(NodeJson::of).toList();
    }

    /**
     * Reads a query parameter as a JSON value when it is one ({@code 31}, {@code true}, {@code "31"}), and as a
     * plain string otherwise ({@code Ann}), so that numbers and booleans can be searched for.
     */
    private Object queryValue(String text) {
        Object parsed;
        try {
            parsed = json.readValue(text, Object.class);
        } catch (JacksonException notJson) {
            return text;
        }
        if (parsed == null) {
            throw InvalidRequestException.parameter("value", "is null; properties are never null");
        }
        try {
            return PropertyValues.fromJson(parsed, "value");
        } catch (InvalidRequestException e) {
            throw InvalidRequestException.parameter("value", "must be a boolean, a number, a string or a list");
        }
    }

    RelationshipJson createRelationship(RelationshipRequest request) {
        long from = Writes.required(request.from(), "from");
        long to = Writes.required(request.to(), "to");
        long id = db.commit(tx -> Writes.createRelationship(tx, request.type(), from, to, request.properties(), ""))
                .value();
        return relationship(id);
    }

    RelationshipJson relationship(long id) {
        return db.read(view -> view.relationship(id)).map(RelationshipJson::of)
                .orElseThrow(() -> Writes.notFound("Relationship", id));
    }

    void deleteRelationship(long id) {
        db.commit(tx -> {
            tx.deleteRelationship(id);
            return null;
        });
    }

    List<RelationshipJson> relationshipsOf(long node, String direction, String type) {
        Direction wanted = direction(direction);
        return db.read(view -> {
            if (view.node(node).isEmpty()) {
                throw Writes.notFound("Node", node);
            }
            return view.relationships(node, wanted, type).stream().map(RelationshipJson::of).toList();
        });
    }

    private static Direction direction(String text) {
        switch (text.toUpperCase(Locale.ROOT)) {
            case "OUT":
                return Direction.OUTGOING;
            case "IN":
                return Direction.INCOMING;
            case "BOTH":
                return Direction.BOTH;
            default:
                throw InvalidRequestException.parameter("direction", "is '" + text + "'; use OUT, IN or BOTH");
        }
    }
}
