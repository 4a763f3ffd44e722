package io.graphwal.archive;

/**
 * Archiving or restoring cannot go on: the archive belongs to another graph, lacks what a restore needs, or
 * holds an unusable object. The message says which and what to do.
 */
public class ArchiveException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what is wrong and how to fix it
     */
    public ArchiveException(String message) {
        super(message);
    }

    /**
     * Creates the exception with a cause.
     *
     * @param message what is wrong and how to fix it
     * @param cause the underlying failure
     */
    public ArchiveException(String message, Throwable cause) {
        super(message, cause);
    }
}
