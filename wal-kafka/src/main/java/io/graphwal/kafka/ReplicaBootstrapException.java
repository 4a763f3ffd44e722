package io.graphwal.kafka;

/**
 * An empty read replica without an archive could not learn the leader's graph from the topic: the topic gave
 * no first record in time, or it does not begin with the leader's first transaction. Nothing was created in
 * the replica's directory. The message says what was found; {@link #action()} what an operator can do.
 */
public final class ReplicaBootstrapException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    private final String action;

    ReplicaBootstrapException(String message, String action, Throwable cause) {
        super(message + ". " + action, cause);
        this.action = action;
    }

    /**
     * Returns what to do about it.
     *
     * @return the action, one or two sentences
     */
    public String action() {
        return action;
    }
}
