package io.graphwal.sample;

import java.util.List;
import java.util.Map;

/**
 * The body of {@code PATCH /api/nodes/{id}}: every part optional, all applied in one transaction.
 *
 * @param properties properties to set; a null value removes that property
 * @param addLabels labels to add
 * @param removeLabels labels to remove
 */
record NodePatch(Map<String, Object> properties, List<String> addLabels, List<String> removeLabels) {
}
