package io.graphwal.sample;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * One operation of {@code POST /api/transactions}, chosen by its {@code op} field from a closed list of names
 * (never a class name from the request). Each does what the single-resource route of the same name does.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "op")
@JsonSubTypes({
    @JsonSubTypes.Type(value = Operation.CreateNode.class, name = "createNode"),
    @JsonSubTypes.Type(value = Operation.UpdateNode.class, name = "updateNode"),
    @JsonSubTypes.Type(value = Operation.DeleteNode.class, name = "deleteNode"),
    @JsonSubTypes.Type(value = Operation.CreateRelationship.class, name = "createRelationship"),
    @JsonSubTypes.Type(value = Operation.DeleteRelationship.class, name = "deleteRelationship")})
sealed interface Operation {

    /** The accepted values of {@code op}, for error messages. */
    String NAMES = "createNode, updateNode, deleteNode, createRelationship, deleteRelationship";

    /** This operation's {@code op} name. */
    String name();

    /**
     * Creates a node, as {@code POST /api/nodes}.
     *
     * @param key names the new node for later operations; optional
     * @param labels its labels
     * @param properties its properties
     */
    record CreateNode(String key, List<String> labels, Map<String, Object> properties) implements Operation {
        @Override
        public String name() {
            return "createNode";
        }
    }

    /**
     * Changes a node, as {@code PATCH /api/nodes/{id}}.
     *
     * @param node which node
     * @param properties properties to set; null removes
     * @param addLabels labels to add
     * @param removeLabels labels to remove
     */
    record UpdateNode(Ref node, Map<String, Object> properties, List<String> addLabels, List<String> removeLabels)
            implements Operation {
        @Override
        public String name() {
            return "updateNode";
        }
    }

    /**
     * Deletes a node, as {@code DELETE /api/nodes/{id}}.
     *
     * @param node which node
     * @param detach whether to delete its relationships with it; absent means false
     */
    record DeleteNode(Ref node, Boolean detach) implements Operation {
        @Override
        public String name() {
            return "deleteNode";
        }
    }

    /**
     * Creates a relationship, as {@code POST /api/relationships}.
     *
     * @param key names the new relationship for later operations; optional
     * @param type its type
     * @param from the node it starts at
     * @param to the node it ends at
     * @param properties its properties
     */
    record CreateRelationship(String key, String type, Ref from, Ref to, Map<String, Object> properties)
            implements Operation {
        @Override
        public String name() {
            return "createRelationship";
        }
    }

    /**
     * Deletes a relationship, as {@code DELETE /api/relationships/{id}}.
     *
     * @param relationship which relationship
     */
    record DeleteRelationship(Ref relationship) implements Operation {
        @Override
        public String name() {
            return "deleteRelationship";
        }
    }
}
