package io.graphwal.wal;

/** Another open log, in this process or another one, holds the directory's lock. */
public class WalLockedException extends WalException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message names the directory and, where known, the holder
     */
    public WalLockedException(String message) {
        super(message);
    }
}
