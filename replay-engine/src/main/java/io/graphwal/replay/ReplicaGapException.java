package io.graphwal.replay;

/**
 * A read replica was handed a transaction that does not follow the last one it applied: one or more LSNs in
 * between are missing from its source. A replica never skips, so it applies nothing more until the missing
 * transactions are supplied; nothing was logged or changed.
 */
public class ReplicaGapException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    private final long expectedLsn;
    private final long receivedLsn;

    /**
     * Creates the exception.
     *
     * @param expectedLsn the LSN the replica needs next
     * @param receivedLsn the LSN it was given
     */
    public ReplicaGapException(long expectedLsn, long receivedLsn) {
        super("The replica needs the transaction at LSN " + expectedLsn + " next but was given LSN " + receivedLsn
                + ": LSNs " + expectedLsn + " to " + (receivedLsn - 1) + " are missing from its source. It applies "
                + "nothing further until they are supplied; restore the missing records, or rebuild the replica "
                + "from the archive");
        this.expectedLsn = expectedLsn;
        this.receivedLsn = receivedLsn;
    }

    /**
     * Returns the LSN the replica needs next.
     *
     * @return one more than the last LSN it applied
     */
    public long expectedLsn() {
        return expectedLsn;
    }

    /**
     * Returns the LSN it was given.
     *
     * @return the received LSN, above {@link #expectedLsn()}
     */
    public long receivedLsn() {
        return receivedLsn;
    }
}
