package io.graphwal.sample;

import java.util.Map;

import io.graphwal.graph.Relationship;

/**
 * A relationship as the API returns it.
 *
 * @param id its id
 * @param type its type
 * @param from the id of the node it starts at
 * @param to the id of the node it ends at
 * @param properties its properties in JSON form (see {@link PropertyValues})
 */
record RelationshipJson(long id, String type, long from, long to, Map<String, Object> properties) {

    static RelationshipJson of(Relationship relationship) {
        return new RelationshipJson(relationship.id(), relationship.type(), relationship.startNode(),
                relationship.endNode(), PropertyValues.toJson(relationship.properties()));
    }
}
