package io.graphwal.kafka;

/** How a transaction is written into a Kafka record's value; see the replication page of the docs. */
public enum ChangeEventFormat {

    /** A JSON document of a documented, versioned schema that any consumer can read (the default). */
    JSON,

    /**
     * The transaction in the WAL's own binary payload format (version 2 of {@code MutationCodec}), for
     * consumers that use GraphWAL's classes.
     */
    BINARY
}
