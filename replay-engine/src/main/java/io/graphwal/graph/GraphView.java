package io.graphwal.graph;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Read access to one consistent state of the graph: every call made through the same view sees the same
 * committed transactions, and never part of one. Obtained through {@link Graph#read}; valid only inside it.
 */
public interface GraphView {

    /**
     * Finds a node.
     *
     * @param id its id
     * @return the node, or empty if none has that id
     */
    Optional<Node> node(long id);

    /**
     * Finds a relationship.
     *
     * @param id its id
     * @return the relationship, or empty if none has that id
     */
    Optional<Relationship> relationship(long id);

    /**
     * Lists the nodes that have a label, by ascending id.
     *
     * @param label the label
     * @return the nodes
     */
    List<Node> nodesWithLabel(String label);

    /**
     * Lists the nodes that have a label and a property equal to a value, by ascending id, using a property
     * index on (label, key) when one exists.
     *
     * @param label the label
     * @param key the property key
     * @param value the value (same types as properties)
     * @return the nodes
     */
    List<Node> nodesWithProperty(String label, String key, Object value);

    /**
     * Lists a node's relationships.
     *
     * @param node the node
     * @param direction which ones
     * @param type only this type, or null for every type
     * @return the relationships, empty if the node does not exist
     */
    List<Relationship> relationships(long node, Direction direction, String type);

    /**
     * Lists the distinct nodes at the other end of a node's relationships.
     *
     * @param node the node
     * @param direction which relationships to follow
     * @param type only this type, or null for every type
     * @return the neighbours, by ascending id
     */
    List<Node> neighbours(long node, Direction direction, String type);

    /**
     * Counts nodes.
     *
     * @return how many exist
     */
    long nodeCount();

    /**
     * Counts relationships.
     *
     * @return how many exist
     */
    long relationshipCount();

    /**
     * Counts nodes per label.
     *
     * @return label to count, by label name
     */
    Map<String, Long> labels();

    /**
     * Counts relationships per type.
     *
     * @return type to count, by type name
     */
    Map<String, Long> relationshipTypes();

    /**
     * Lists the property indexes.
     *
     * @return the index definitions, in creation order
     */
    List<IndexDefinition> indexes();

    /**
     * Returns the LSN of the newest transaction this view includes.
     *
     * @return the LSN, 0 for an empty graph
     */
    long lsn();
}
