package io.graphwal.sample;

import java.util.List;
import java.util.Map;

/**
 * The body of {@code POST /api/nodes}.
 *
 * @param labels the node's labels; may be absent
 * @param properties the node's properties; may be absent, and a null value is the same as an absent one
 */
record NodeRequest(List<String> labels, Map<String, Object> properties) {
}
