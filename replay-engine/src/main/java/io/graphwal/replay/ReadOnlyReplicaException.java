package io.graphwal.replay;

/**
 * A write was asked of a read replica: its graph changes only by the transactions it applies from its leader,
 * so the write has to go to the leader instead. Nothing was logged or changed.
 */
public class ReadOnlyReplicaException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param directory the replica's directory, named in the message
     */
    public ReadOnlyReplicaException(String directory) {
        super("This instance is a read replica (graph in " + directory + "): it follows its leader and refuses "
                + "writes; send the write to the leader");
    }
}
