package io.graphwal.sample;

import java.util.List;
import java.util.Map;

import io.graphwal.graph.Node;

/**
 * A node as the API returns it.
 *
 * @param id its id
 * @param labels its labels, sorted
 * @param properties its properties in JSON form (see {@link PropertyValues})
 */
record NodeJson(long id, List<String> labels, Map<String, Object> properties) {

    static NodeJson of(Node node) {
        return new NodeJson(node.id(), node.labels(), PropertyValues.toJson(node.properties()));
    }
}
