package io.graphwal.sample;

import java.util.List;
import java.util.Map;

import io.graphwal.graph.GraphValidationException;
import io.graphwal.graph.Transaction;

/**
 * The writes the API offers, applied to an open transaction. Shared by the single-resource routes and by
 * {@code POST /api/transactions}, so both validate alike; {@code prefix} is the path of the request part being
 * applied (empty, or e.g. {@code "operations[2]."}), so that errors name the field as the client wrote it.
 */
final class Writes {

    private Writes() {
    }

    static long createNode(Transaction tx, List<String> labels, Map<String, Object> properties, String prefix) {
        return tx.createNode(names(labels, prefix + "labels"), PropertyValues.fromJson(properties, prefix + "properties"));
    }

    static void updateNode(Transaction tx, long node, NodePatch patch, String prefix) {
        requireNode(tx, node);
        // Convert everything first, so that a bad value is reported before anything is staged.
        Map<String, Object> properties = PropertyValues.fromJson(patch.properties(), prefix + "properties");
        List<String> add = names(patch.addLabels(), prefix + "addLabels");
        List<String> remove = names(patch.removeLabels(), prefix + "removeLabels");
        properties.forEach((key, value) -> tx.setNodeProperty(node, key, value));
        remove.forEach(label -> tx.removeLabel(node, label));
        add.forEach(label -> tx.addLabel(node, label));
    }

    static void deleteNode(Transaction tx, long node, boolean detach) {
        if (detach) {
            tx.detachDeleteNode(node);
        } else {
            tx.deleteNode(node);
        }
    }

    static long createRelationship(Transaction tx, String type, long from, long to, Map<String, Object> properties,
            String prefix) {
        if (type == null || type.isEmpty()) {
            throw new InvalidRequestException(prefix + "type", "is required: a non-empty string");
        }
        return tx.createRelationship(from, to, type, PropertyValues.fromJson(properties, prefix + "properties"));
    }

    static void requireNode(Transaction tx, long node) {
        if (!tx.nodeExists(node)) {
            throw notFound("Node", node);
        }
    }

    static GraphValidationException notFound(String what, long id) {
        return new GraphValidationException(GraphValidationException.Reason.NOT_FOUND, what + " " + id
                + " does not exist");
    }

    static Long required(Long value, String field) {
        if (value == null) {
            throw new InvalidRequestException(field, "is required: a node id");
        }
        return value;
    }

    private static List<String> names(List<String> labels, String field) {
        if (labels == null) {
            return List.of();
        }
        for (int i = 0; i < labels.size(); i++) {
            if (labels.get(i) == null || labels.get(i).isEmpty()) {
                throw new InvalidRequestException(field + "[" + i + "]", "must be a non-empty string");
            }
        }
        return labels;
    }
}
