package io.graphwal.graph;

/**
 * The documented size limits of the graph. A write transaction that would pass one is refused before anything
 * is logged, with a {@link GraphValidationException} of reason {@link GraphValidationException.Reason#LIMIT}
 * naming the limit; every reader (replay, snapshot load, the {@code wal} tool) accepts everything up to them.
 *
 * <p>Each limit bounds the work one transaction can cause: applying a transaction takes time and memory linear
 * in its size, and no entity can grow, one transaction at a time, into something a snapshot cannot hold. The
 * size of one transaction's log record is bounded separately by the log's {@code max-record-size}, which also
 * bounds the size of a single property value.
 */
public final class GraphLimits {

    /** Longest label, relationship type or property key, in UTF-8 bytes. */
    public static final int MAX_NAME_BYTES = 16 * 1024;

    /** Most labels one node can have. */
    public static final int MAX_LABELS_PER_NODE = 1024;

    /** Most properties one node or relationship can have. */
    public static final int MAX_PROPERTIES_PER_ENTITY = 16 * 1024;

    /**
     * Most bytes one node's or relationship's properties can take in the store's encoding (about the UTF-8
     * size of the values plus a few bytes per property).
     */
    public static final int MAX_PROPERTY_BYTES_PER_ENTITY = 64 * 1024 * 1024;

    /** Most changes (mutations) in one transaction. */
    public static final int MAX_MUTATIONS_PER_TRANSACTION = 100_000;

    private GraphLimits() {
    }
}
