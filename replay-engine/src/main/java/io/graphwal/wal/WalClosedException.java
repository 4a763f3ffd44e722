package io.graphwal.wal;

/** The log has been closed; it accepts no more appends, flushes or readers. */
public class WalClosedException extends WalException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what was attempted on which log
     */
    public WalClosedException(String message) {
        super(message);
    }
}
