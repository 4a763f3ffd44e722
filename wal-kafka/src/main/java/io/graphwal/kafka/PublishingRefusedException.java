package io.graphwal.kafka;

/**
 * Publishing cannot go on without skipping or repeating a transaction (the topic belongs to another graph,
 * has a gap, is ahead of the log, or the log no longer holds what comes next), so the publisher stops and
 * reports this until an operator fixes the cause and restarts the application.
 */
final class PublishingRefusedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what is wrong and how to fix it
     */
    PublishingRefusedException(String message) {
        super(message);
    }

    /**
     * Creates the exception with its cause.
     *
     * @param message what is wrong and how to fix it
     * @param cause what was found
     */
    PublishingRefusedException(String message, Throwable cause) {
        super(message, cause);
    }
}
