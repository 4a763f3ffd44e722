package io.graphwal.graph;

import java.util.List;
import java.util.Map;

/**
 * One change to the graph, as logged. A transaction is a list of mutations written as one WAL record. Ids
 * are explicit, so replaying the same list always rebuilds the same graph with the same ids.
 */
public sealed interface Mutation {

    /**
     * Creates a node.
     *
     * @param id the id the store assigned
     * @param labels its labels
     * @param properties its properties, in canonical form
     */
    record CreateNode(long id, List<String> labels, Map<String, Object> properties) implements Mutation {
    }

    /**
     * Creates a relationship.
     *
     * @param id the id the store assigned
     * @param type its type
     * @param startNode the node it starts at
     * @param endNode the node it ends at
     * @param properties its properties, in canonical form
     */
    record CreateRelationship(long id, String type, long startNode, long endNode, Map<String, Object> properties)
            implements Mutation {
    }

    /**
     * Sets a node property.
     *
     * @param node the node
     * @param key the property key
     * @param value the canonical value
     */
    record SetNodeProperty(long node, String key, Object value) implements Mutation {
    }

    /**
     * Removes a node property.
     *
     * @param node the node
     * @param key the property key
     */
    record RemoveNodeProperty(long node, String key) implements Mutation {
    }

    /**
     * Adds a label to a node.
     *
     * @param node the node
     * @param label the label
     */
    record AddLabel(long node, String label) implements Mutation {
    }

    /**
     * Removes a label from a node.
     *
     * @param node the node
     * @param label the label
     */
    record RemoveLabel(long node, String label) implements Mutation {
    }

    /**
     * Sets a relationship property.
     *
     * @param relationship the relationship
     * @param key the property key
     * @param value the canonical value
     */
    record SetRelationshipProperty(long relationship, String key, Object value) implements Mutation {
    }

    /**
     * Removes a relationship property.
     *
     * @param relationship the relationship
     * @param key the property key
     */
    record RemoveRelationshipProperty(long relationship, String key) implements Mutation {
    }

    /**
     * Deletes a relationship.
     *
     * @param relationship the relationship
     */
    record DeleteRelationship(long relationship) implements Mutation {
    }

    /**
     * Deletes a node that has no relationships.
     *
     * @param node the node
     */
    record DeleteNode(long node) implements Mutation {
    }

    /**
     * Deletes a node together with all its relationships.
     *
     * @param node the node
     */
    record DetachDeleteNode(long node) implements Mutation {
    }

    /**
     * Creates a property index on nodes with {@code label}, by the value of {@code key}.
     *
     * @param label the label
     * @param key the property key
     */
    record CreateIndex(String label, String key) implements Mutation {
    }

    /**
     * Drops a property index.
     *
     * @param label the label
     * @param key the property key
     */
    record DropIndex(String label, String key) implements Mutation {
    }
}
