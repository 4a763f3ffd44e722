package io.graphwal.graph;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.carrotsearch.hppc.LongArrayList;

import io.graphwal.graph.GraphValidationException.Reason;

/**
 * A write transaction, handed to the function given to {@link Graph#commit}. Each call is validated at once
 * against the graph as this transaction will find it (the visible graph, transactions written ahead of it,
 * and its own earlier calls) and throws {@link GraphValidationException} if it does not fit; the function may
 * let that propagate to abandon the whole transaction, which then logs and changes nothing. Valid only
 * inside that function, on the thread that runs it.
 */
public final class Transaction {

    private final Graph graph;
    private final PendingLayer layer;
    private final List<Mutation> mutations = new ArrayList<>();
    private boolean open = true;

    Transaction(Graph graph, PendingLayer layer) {
        this.graph = graph;
        this.layer = layer;
    }

    List<Mutation> mutations() {
        return mutations;
    }

    void close() {
        open = false;
    }

    private void checkOpen() {
        if (!open) {
            throw new IllegalStateException("This transaction has ended; use the one handed to the current commit");
        }
    }

    /**
     * Creates a node.
     *
     * @param labels its labels (may be empty or null)
     * @param properties its properties (values as described in the class documentation of {@link Graph})
     * @return the new node's id
     */
    public long createNode(Collection<String> labels, Map<String, ?> properties) {
        checkOpen();
        Collection<String> given = labels == null ? List.of() : labels;
        List<String> names = new ArrayList<>(given.size());
        for (String label : given) {
            names.add(name(label, "label"));
        }
        Map<String, Object> canonical = canonicalProperties(properties);
        long id = graph.allocateNodeId();
        layer.createNode(id);
        mutations.add(new Mutation.CreateNode(id, List.copyOf(names), canonical));
        return id;
    }

    /**
     * Creates a relationship between two existing nodes.
     *
     * @param startNode where it starts
     * @param endNode where it ends
     * @param type its type
     * @param properties its properties
     * @return the new relationship's id
     */
    public long createRelationship(long startNode, long endNode, String type, Map<String, ?> properties) {
        checkOpen();
        String typeName = name(type, "relationship type");
        requireNode(startNode, "start");
        requireNode(endNode, "end");
        Map<String, Object> canonical = canonicalProperties(properties);
        long id = graph.allocateRelationshipId();
        layer.createRelationship(id, startNode, endNode);
        mutations.add(new Mutation.CreateRelationship(id, typeName, startNode, endNode, canonical));
        return id;
    }

    /**
     * Sets a node property; a {@code null} value removes it.
     *
     * @param node the node
     * @param key the key
     * @param value the value, or null
     */
    public void setNodeProperty(long node, String key, Object value) {
        checkOpen();
        requireNode(node, "");
        String keyName = name(key, "property key");
        if (value == null) {
            mutations.add(new Mutation.RemoveNodeProperty(node, keyName));
        } else {
            mutations.add(new Mutation.SetNodeProperty(node, keyName, Values.canonical(value, property(keyName))));
        }
    }

    /**
     * Removes a node property (nothing happens if it is not set).
     *
     * @param node the node
     * @param key the key
     */
    public void removeNodeProperty(long node, String key) {
        setNodeProperty(node, key, null);
    }

    /**
     * Adds a label to a node (nothing happens if it has it).
     *
     * @param node the node
     * @param label the label
     */
    public void addLabel(long node, String label) {
        checkOpen();
        requireNode(node, "");
        mutations.add(new Mutation.AddLabel(node, name(label, "label")));
    }

    /**
     * Removes a label from a node (nothing happens if it lacks it).
     *
     * @param node the node
     * @param label the label
     */
    public void removeLabel(long node, String label) {
        checkOpen();
        requireNode(node, "");
        mutations.add(new Mutation.RemoveLabel(node, name(label, "label")));
    }

    /**
     * Sets a relationship property; a {@code null} value removes it.
     *
     * @param relationship the relationship
     * @param key the key
     * @param value the value, or null
     */
    public void setRelationshipProperty(long relationship, String key, Object value) {
        checkOpen();
        requireRelationship(relationship);
        String keyName = name(key, "property key");
        if (value == null) {
            mutations.add(new Mutation.RemoveRelationshipProperty(relationship, keyName));
        } else {
            mutations.add(new Mutation.SetRelationshipProperty(relationship, keyName,
                    Values.canonical(value, property(keyName))));
        }
    }

    /**
     * Removes a relationship property (nothing happens if it is not set).
     *
     * @param relationship the relationship
     * @param key the key
     */
    public void removeRelationshipProperty(long relationship, String key) {
        setRelationshipProperty(relationship, key, null);
    }

    /**
     * Deletes a relationship.
     *
     * @param relationship the relationship
     */
    public void deleteRelationship(long relationship) {
        checkOpen();
        requireRelationship(relationship);
        layer.deleteRelationship(relationship);
        mutations.add(new Mutation.DeleteRelationship(relationship));
    }

    /**
     * Deletes a node that has no relationships.
     *
     * @param node the node
     * @throws GraphValidationException with reason {@link Reason#CONFLICT} if it still has relationships
     */
    public void deleteNode(long node) {
        checkOpen();
        requireNode(node, "");
        LongArrayList relationships = layer.relationshipsOf(node);
        if (!relationships.isEmpty()) {
            throw new GraphValidationException(Reason.CONFLICT, "Node " + node + " still has " + relationships.size()
                    + " relationship(s); delete them first, or detach-delete the node to delete them with it");
        }
        layer.deleteNode(node);
        mutations.add(new Mutation.DeleteNode(node));
    }

    /**
     * Deletes a node and every relationship it has.
     *
     * @param node the node
     */
    public void detachDeleteNode(long node) {
        checkOpen();
        requireNode(node, "");
        LongArrayList relationships = layer.relationshipsOf(node);
        for (int i = 0; i < relationships.size(); i++) {
            layer.deleteRelationship(relationships.get(i));
        }
        layer.deleteNode(node);
        mutations.add(new Mutation.DetachDeleteNode(node));
    }

    /**
     * Creates a property index on nodes with {@code label}, by {@code key} (nothing happens if it exists).
     *
     * @param label the label
     * @param key the property key
     */
    public void createIndex(String label, String key) {
        checkOpen();
        mutations.add(new Mutation.CreateIndex(name(label, "label"), name(key, "property key")));
    }

    /**
     * Drops a property index (nothing happens if there is none).
     *
     * @param label the label
     * @param key the property key
     */
    public void dropIndex(String label, String key) {
        checkOpen();
        mutations.add(new Mutation.DropIndex(name(label, "label"), name(key, "property key")));
    }

    /**
     * Whether a node exists as this transaction sees it.
     *
     * @param node the id
     * @return true if it exists
     */
    public boolean nodeExists(long node) {
        checkOpen();
        return layer.nodeExists(node);
    }

    /**
     * Whether a relationship exists as this transaction sees it.
     *
     * @param relationship the id
     * @return true if it exists
     */
    public boolean relationshipExists(long relationship) {
        checkOpen();
        return layer.relationshipExists(relationship);
    }

    private void requireNode(long node, String role) {
        if (!layer.nodeExists(node)) {
            throw new GraphValidationException(Reason.NOT_FOUND, (role.isEmpty() ? "Node " : "The " + role + " node ")
                    + node + " does not exist");
        }
    }

    private void requireRelationship(long relationship) {
        if (!layer.relationshipExists(relationship)) {
            throw new GraphValidationException(Reason.NOT_FOUND, "Relationship " + relationship + " does not exist");
        }
    }

    private static String property(String key) {
        return "Property '" + key + "'";
    }

    private static String name(String value, String what) {
        if (value == null || value.isEmpty()) {
            throw new GraphValidationException("A " + what + " must be a non-empty string");
        }
        return Values.wellFormed(value, "The " + what);
    }

    private static Map<String, Object> canonicalProperties(Map<String, ?> properties) {
        if (properties == null || properties.isEmpty()) {
            return Collections.emptyMap();
        }
        Map<String, Object> canonical = new LinkedHashMap<>(properties.size() * 2);
        for (Map.Entry<String, ?> entry : properties.entrySet()) {
            String key = name(entry.getKey(), "property key");
            if (entry.getValue() != null) {
                canonical.put(key, Values.canonical(entry.getValue(), property(key)));
            }
        }
        return Collections.unmodifiableMap(canonical);
    }
}
