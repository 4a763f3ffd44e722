package io.graphwal.graph;

/**
 * A property index: nodes with {@code label}, looked up by the value of {@code key}.
 *
 * @param label the label
 * @param key the property key
 */
public record IndexDefinition(String label, String key) {
}
