package io.graphwal.replay;

import io.graphwal.wal.WalException;

/**
 * Opening a database failed because its snapshots and log do not rebuild a graph: a record that does not
 * decode or apply, or a log that does not reach back to any usable snapshot. The message names the LSN or
 * file and what the operator can do.
 */
public class ReplayException extends WalException {

    private static final long serialVersionUID = 1L;

    private final long lsn;
    private final String problem;

    /**
     * Creates the exception for a problem that is not about one record.
     *
     * @param message what failed and what to do
     * @param cause the underlying failure, or null
     */
    public ReplayException(String message, Throwable cause) {
        super(message, cause);
        this.lsn = 0;
        this.problem = message;
    }

    /**
     * Creates the exception for a record that cannot be replayed.
     *
     * @param lsn the record's LSN
     * @param problem what is wrong with it, as a predicate ("does not decode: ...")
     * @param cause the underlying failure, or null
     */
    public ReplayException(long lsn, String problem, Throwable cause) {
        super("The WAL record at LSN " + lsn + " " + problem + ". Its checksum is valid, so it was written this way; "
                + "inspect it with the wal tool's dump and restore from a backup.", cause);
        this.lsn = lsn;
        this.problem = problem;
    }

    /**
     * Returns the LSN of the record that could not be replayed.
     *
     * @return the LSN, or 0 if the problem is not about one record
     */
    public long lsn() {
        return lsn;
    }

    /**
     * Returns what is wrong, without advice.
     *
     * @return the problem
     */
    public String problem() {
        return problem;
    }
}
