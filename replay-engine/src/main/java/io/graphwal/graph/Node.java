package io.graphwal.graph;

import java.util.List;
import java.util.Map;

/**
 * A node as read at one moment: a copy, unaffected by later writes.
 *
 * @param id the node's id, assigned by the store and never reused
 * @param labels its labels, sorted
 * @param properties its properties
 */
public record Node(long id, List<String> labels, Map<String, Object> properties) {
}
