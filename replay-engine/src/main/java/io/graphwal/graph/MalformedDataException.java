package io.graphwal.graph;

/**
 * Encoded graph data (a logged transaction, a property block or a snapshot section) does not decode: it is
 * damaged or was written by an incompatible version. The message says what was expected where.
 */
public class MalformedDataException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what did not decode, and where
     */
    public MalformedDataException(String message) {
        super(message);
    }
}
