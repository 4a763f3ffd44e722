package io.graphwal.graph;

import java.util.Map;

/**
 * A relationship as read at one moment: a copy, unaffected by later writes.
 *
 * @param id the relationship's id, assigned by the store and never reused
 * @param type its type
 * @param startNode the node it starts at
 * @param endNode the node it ends at
 * @param properties its properties
 */
public record Relationship(long id, String type, long startNode, long endNode, Map<String, Object> properties) {
}
