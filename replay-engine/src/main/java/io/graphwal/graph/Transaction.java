package io.graphwal.graph;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

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

    private void record(Mutation mutation) {
        mutations.add(mutation);
    }

    /** Checks that the transaction is open and has room for one more change, before the change leaves a trace. */
    private void checkRoom() {
        checkOpen();
        if (mutations.size() >= GraphLimits.MAX_MUTATIONS_PER_TRANSACTION) {
            throw limit("The transaction already holds " + mutations.size() + " changes, the most one transaction "
                    + "can hold; split the work into several transactions");
        }
    }

    /**
     * Makes one mutation of a transaction logged elsewhere, through the same checks as the public methods,
     * giving a create the id it was logged with.
     */
    void replay(Mutation mutation) {
        if (mutation instanceof Mutation.CreateNode create) {
            checkRoom();
            graph.reserveNodeId(create.id());
            createNode(create.labels(), create.properties());
        } else if (mutation instanceof Mutation.CreateRelationship create) {
            checkRoom();
            graph.reserveRelationshipId(create.id());
            createRelationship(create.startNode(), create.endNode(), create.type(), create.properties());
        } else if (mutation instanceof Mutation.SetNodeProperty set) {
            if (set.value() == null) {
                throw new GraphValidationException("Setting property '" + set.key() + "' of node " + set.node()
                        + " has no value; a logged removal is a removeNodeProperty");
            }
            setNodeProperty(set.node(), set.key(), set.value());
        } else if (mutation instanceof Mutation.RemoveNodeProperty remove) {
            removeNodeProperty(remove.node(), remove.key());
        } else if (mutation instanceof Mutation.AddLabel add) {
            addLabel(add.node(), add.label());
        } else if (mutation instanceof Mutation.RemoveLabel remove) {
            removeLabel(remove.node(), remove.label());
        } else if (mutation instanceof Mutation.SetRelationshipProperty set) {
            if (set.value() == null) {
                throw new GraphValidationException("Setting property '" + set.key() + "' of relationship "
                        + set.relationship() + " has no value; a logged removal is a removeRelationshipProperty");
            }
            setRelationshipProperty(set.relationship(), set.key(), set.value());
        } else if (mutation instanceof Mutation.RemoveRelationshipProperty remove) {
            removeRelationshipProperty(remove.relationship(), remove.key());
        } else if (mutation instanceof Mutation.DeleteRelationship delete) {
            deleteRelationship(delete.relationship());
        } else if (mutation instanceof Mutation.DeleteNode delete) {
            deleteNode(delete.node());
        } else if (mutation instanceof Mutation.DetachDeleteNode delete) {
            detachDeleteNode(delete.node());
        } else if (mutation instanceof Mutation.CreateIndex create) {
            createIndex(create.label(), create.key());
        } else if (mutation instanceof Mutation.DropIndex drop) {
            dropIndex(drop.label(), drop.key());
        } else {
            throw new GraphValidationException("A mutation of a kind this graph does not know: " + mutation);
        }
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
        checkRoom();
        Collection<String> given = labels == null ? List.of() : labels;
        Set<String> names = new LinkedHashSet<>();
        for (String label : given) {
            names.add(name(label, "label"));
        }
        if (names.size() > GraphLimits.MAX_LABELS_PER_NODE) {
            throw limit("A node with " + names.size() + " labels was asked for; a node can have at most "
                    + GraphLimits.MAX_LABELS_PER_NODE);
        }
        Map<String, Object> canonical = canonicalProperties(properties);
        checkNewEntity("A node", canonical);
        long id = graph.allocateNodeId();
        if (!names.isEmpty() || !canonical.isEmpty()) {
            // A bare node grows nothing yet; bulk loads of them should not pay for a growth record each.
            PendingLayer.Growth growth = layer.growth(true, id);
            growth.labels.addAll(names);
            canonical.forEach((key, value) -> grow(growth, key, value));
        }
        layer.createNode(id);
        record(new Mutation.CreateNode(id, List.copyOf(names), canonical));
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
        checkRoom();
        String typeName = name(type, "relationship type");
        requireNode(startNode, "start");
        requireNode(endNode, "end");
        Map<String, Object> canonical = canonicalProperties(properties);
        checkNewEntity("A relationship", canonical);
        long id = graph.allocateRelationshipId();
        if (!canonical.isEmpty()) {
            PendingLayer.Growth growth = layer.growth(false, id);
            canonical.forEach((key, value) -> grow(growth, key, value));
        }
        layer.createRelationship(id, startNode, endNode);
        record(new Mutation.CreateRelationship(id, typeName, startNode, endNode, canonical));
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
        checkRoom();
        requireNode(node, "");
        String keyName = name(key, "property key");
        if (value == null) {
            record(new Mutation.RemoveNodeProperty(node, keyName));
        } else {
            Object canonical = Values.canonical(value, property(keyName));
            growProperty(true, node, keyName, canonical);
            record(new Mutation.SetNodeProperty(node, keyName, canonical));
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
        checkRoom();
        requireNode(node, "");
        String labelName = name(label, "label");
        growLabel(node, labelName);
        record(new Mutation.AddLabel(node, labelName));
    }

    /**
     * Removes a label from a node (nothing happens if it lacks it).
     *
     * @param node the node
     * @param label the label
     */
    public void removeLabel(long node, String label) {
        checkRoom();
        requireNode(node, "");
        record(new Mutation.RemoveLabel(node, name(label, "label")));
    }

    /**
     * Sets a relationship property; a {@code null} value removes it.
     *
     * @param relationship the relationship
     * @param key the key
     * @param value the value, or null
     */
    public void setRelationshipProperty(long relationship, String key, Object value) {
        checkRoom();
        requireRelationship(relationship);
        String keyName = name(key, "property key");
        if (value == null) {
            record(new Mutation.RemoveRelationshipProperty(relationship, keyName));
        } else {
            Object canonical = Values.canonical(value, property(keyName));
            growProperty(false, relationship, keyName, canonical);
            record(new Mutation.SetRelationshipProperty(relationship, keyName, canonical));
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
        checkRoom();
        requireRelationship(relationship);
        layer.deleteRelationship(relationship);
        record(new Mutation.DeleteRelationship(relationship));
    }

    /**
     * Deletes a node that has no relationships.
     *
     * @param node the node
     * @throws GraphValidationException with reason {@link Reason#CONFLICT} if it still has relationships
     */
    public void deleteNode(long node) {
        checkRoom();
        requireNode(node, "");
        LongArrayList relationships = layer.relationshipsOf(node);
        if (!relationships.isEmpty()) {
            throw new GraphValidationException(Reason.CONFLICT, "Node " + node + " still has " + relationships.size()
                    + " relationship(s); delete them first, or detach-delete the node to delete them with it");
        }
        layer.deleteNode(node);
        record(new Mutation.DeleteNode(node));
    }

    /**
     * Deletes a node and every relationship it has.
     *
     * @param node the node
     */
    public void detachDeleteNode(long node) {
        checkRoom();
        requireNode(node, "");
        LongArrayList relationships = layer.relationshipsOf(node);
        for (int i = 0; i < relationships.size(); i++) {
            layer.deleteRelationship(relationships.get(i));
        }
        layer.deleteNode(node);
        record(new Mutation.DetachDeleteNode(node));
    }

    /**
     * Creates a property index on nodes with {@code label}, by {@code key} (nothing happens if it exists).
     *
     * @param label the label
     * @param key the property key
     */
    public void createIndex(String label, String key) {
        checkRoom();
        record(new Mutation.CreateIndex(name(label, "label"), name(key, "property key")));
    }

    /**
     * Drops a property index (nothing happens if there is none).
     *
     * @param label the label
     * @param key the property key
     */
    public void dropIndex(String label, String key) {
        checkRoom();
        record(new Mutation.DropIndex(name(label, "label"), name(key, "property key")));
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
        // Cheap first: a string of at most a quarter of the limit in chars cannot pass it in UTF-8 bytes.
        if (value.length() > GraphLimits.MAX_NAME_BYTES / 4) {
            long bytes = Values.utf8Length(value);
            if (bytes > GraphLimits.MAX_NAME_BYTES) {
                throw limit("A " + what + " of " + bytes + " bytes (UTF-8) was given, starting '"
                        + value.substring(0, 40) + "...'; names can be at most " + GraphLimits.MAX_NAME_BYTES
                        + " bytes long");
            }
        }
        return Values.wellFormed(value, "The " + what);
    }

    private static GraphValidationException limit(String message) {
        return new GraphValidationException(Reason.LIMIT, message);
    }

    /** Holds a new entity's properties to the per-entity limits. */
    private static void checkNewEntity(String what, Map<String, Object> properties) {
        if (properties.size() > GraphLimits.MAX_PROPERTIES_PER_ENTITY) {
            throw limit(what + " with " + properties.size() + " properties was asked for; a node or relationship "
                    + "can have at most " + GraphLimits.MAX_PROPERTIES_PER_ENTITY);
        }
        long bytes = 0;
        for (Object value : properties.values()) {
            bytes += propertySize(value);
        }
        if (bytes > GraphLimits.MAX_PROPERTY_BYTES_PER_ENTITY) {
            throw limit(what + " with about " + bytes + " bytes of properties was asked for; a node's or "
                    + "relationship's properties can take at most " + GraphLimits.MAX_PROPERTY_BYTES_PER_ENTITY
                    + " bytes");
        }
    }

    /** The bytes a property takes in the store, at most: its value and room for its key id. */
    private static long propertySize(Object canonical) {
        return Values.encodedSize(canonical) + 5;
    }

    /**
     * Records in a growth a property set by this layer, returning what it held for the key before, for an undo.
     * A value replacing one the store holds adds only what it is larger by, never less than nothing: each layer
     * that replaces the key counts its own excess over the stored value, and their sum is at least the excess of
     * the one applied last, so the bound still holds when several in-flight transactions replace the same key.
     */
    private static Long grow(PendingLayer.Growth growth, String key, Object canonical) {
        long size = propertySize(canonical);
        int stored = growth.stored.propertyBytes(key);
        long adds = stored < 0 ? size : Math.max(0, size - stored);
        Long previous = growth.properties.put(key, adds);
        if (previous == null && stored < 0) {
            growth.newProperties++;
        }
        growth.bytes += adds - (previous == null ? 0 : previous);
        return previous;
    }

    /** Adds a label to a node's growth, refusing it (and leaving no trace) if the node would pass the limit. */
    private void growLabel(long node, String label) {
        PendingLayer.Growth growth = layer.growth(true, node);
        if (growth.stored.hasLabel(label) || !growth.labels.add(label)) {
            return;
        }
        long labels = growth.stored.labels() + layer.growthBelowAndHere(true, node)[0];
        if (labels > GraphLimits.MAX_LABELS_PER_NODE) {
            growth.labels.remove(label);
            throw limit("Node " + node + " would have " + labels + " labels; a node can have at most "
                    + GraphLimits.MAX_LABELS_PER_NODE);
        }
    }

    /** Adds a property to an entity's growth, refusing it (and leaving no trace) if it would pass a limit. */
    private void growProperty(boolean node, long id, String key, Object canonical) {
        PendingLayer.Growth growth = layer.growth(node, id);
        int newBefore = growth.newProperties;
        long bytesBefore = growth.bytes;
        Long previous = grow(growth, key, canonical);
        long[] grown = layer.growthBelowAndHere(node, id);
        long properties = growth.stored.properties() + grown[1];
        long bytes = growth.stored.propertyBytes() + grown[2];
        String entity = (node ? "Node " : "Relationship ") + id;
        String problem = null;
        if (properties > GraphLimits.MAX_PROPERTIES_PER_ENTITY) {
            problem = entity + " would have " + properties + " properties; a node or relationship can have at most "
                    + GraphLimits.MAX_PROPERTIES_PER_ENTITY;
        } else if (bytes > GraphLimits.MAX_PROPERTY_BYTES_PER_ENTITY) {
            problem = entity + "'s properties would take about " + bytes + " bytes; a node's or relationship's "
                    + "properties can take at most " + GraphLimits.MAX_PROPERTY_BYTES_PER_ENTITY + " bytes";
        }
        if (problem != null) {
            if (previous == null) {
                growth.properties.remove(key);
            } else {
                growth.properties.put(key, previous);
            }
            growth.newProperties = newBefore;
            growth.bytes = bytesBefore;
            throw limit(problem);
        }
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
