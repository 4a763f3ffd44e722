package io.graphwal.graph;

/** Which relationships of a node to follow. */
public enum Direction {
    /** Relationships that start at the node. */
    OUTGOING,
    /** Relationships that end at the node. */
    INCOMING,
    /** Both; a relationship from the node to itself is returned once. */
    BOTH
}
