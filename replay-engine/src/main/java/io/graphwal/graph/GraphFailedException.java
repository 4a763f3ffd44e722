package io.graphwal.graph;

/**
 * The graph stopped serving because a transaction that was already in the log could not be applied to it (an
 * {@link OutOfMemoryError}, say, or a bug). The store may hold part of that transaction, so reads and writes
 * are refused rather than shown a state that never existed, the log is poisoned so that nothing later is
 * acknowledged and no checkpoint records that state, and a restart replays the logged transaction whole.
 */
public class GraphFailedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final long lsn;

    /**
     * Creates the exception.
     *
     * @param lsn the LSN of the transaction that failed to apply
     * @param cause why it failed
     */
    public GraphFailedException(long lsn, Throwable cause) {
        super("The graph stopped serving: the transaction at LSN " + lsn + " is in the log but could not be applied "
                + "(" + cause + "). Reads and writes are refused until a restart replays it whole; if the cause "
                + "is a lack of memory, restart with a larger heap.", cause);
        this.lsn = lsn;
    }

    /**
     * Returns the LSN of the transaction that failed to apply.
     *
     * @return the LSN
     */
    public long lsn() {
        return lsn;
    }
}
