package io.graphwal.replay;

import io.graphwal.wal.WalException;

/**
 * Opening a database failed because its snapshots and log do not rebuild a graph: a record that does not
 * decode or apply, or a log that does not reach back to any usable snapshot. The message names the LSN or
 * file and what the operator can do.
 */
public class ReplayException extends WalException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what failed and what to do
     * @param cause the underlying failure, or null
     */
    public ReplayException(String message, Throwable cause) {
        super(message, cause);
    }
}
