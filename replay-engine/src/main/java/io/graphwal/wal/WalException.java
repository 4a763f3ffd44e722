package io.graphwal.wal;

/** Base of every exception the write-ahead log throws; unchecked so commit paths stay readable. */
public class WalException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception.
     *
     * @param message what went wrong and, where possible, what to do
     * @param cause the underlying failure, or {@code null}
     */
    public WalException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * Creates an exception without a cause.
     *
     * @param message what went wrong and, where possible, what to do
     */
    public WalException(String message) {
        super(message);
    }
}
