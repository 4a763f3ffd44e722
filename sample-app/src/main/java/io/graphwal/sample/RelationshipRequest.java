package io.graphwal.sample;

import java.util.Map;

/**
 * The body of {@code POST /api/relationships}.
 *
 * @param type its type
 * @param from the id of the node it starts at
 * @param to the id of the node it ends at
 * @param properties its properties; may be absent
 */
record RelationshipRequest(String type, Long from, Long to, Map<String, Object> properties) {
}
