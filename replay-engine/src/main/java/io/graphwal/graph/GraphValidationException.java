package io.graphwal.graph;

/**
 * A write transaction was refused because it does not fit the current graph: a missing node or
 * relationship, a node that still has relationships, an unsupported property value. Nothing was logged and
 * nothing changed. The message says what is wrong and how to fix it; {@link #reason()} classifies it.
 */
public class GraphValidationException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Why a transaction was refused. */
    public enum Reason {
        /** A node, relationship or index it names does not exist. */
        NOT_FOUND,
        /** It conflicts with the graph's state, e.g. deleting a node that still has relationships. */
        CONFLICT,
        /** An argument is invalid on its own, e.g. an unsupported property value or an empty label. */
        INVALID,
        /** It would pass one of the {@link GraphLimits}, e.g. too many labels on one node. */
        LIMIT
    }

    private final Reason reason;

    /**
     * Creates the exception.
     *
     * @param reason the class of problem
     * @param message what is wrong
     */
    public GraphValidationException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    /**
     * Creates an exception for an invalid argument.
     *
     * @param message what is wrong
     */
    public GraphValidationException(String message) {
        this(Reason.INVALID, message);
    }

    /**
     * Returns the class of problem.
     *
     * @return the reason
     */
    public Reason reason() {
        return reason;
    }
}
