package io.graphwal.wal;

/** A record's payload is larger than the configured maximum; nothing was written. */
public class WalRecordTooLargeException extends WalException {

    private static final long serialVersionUID = 1L;

    private final long size;
    private final long maxSize;

    /**
     * Creates the exception.
     *
     * @param size the payload's size in bytes
     * @param maxSize the configured maximum in bytes
     */
    public WalRecordTooLargeException(long size, long maxSize) {
        super("A WAL record of " + size + " bytes exceeds max-record-size (" + maxSize
                + " bytes); split the transaction or raise graphwal.wal.max-record-size");
        this.size = size;
        this.maxSize = maxSize;
    }

    /**
     * Returns the refused payload's size.
     *
     * @return bytes
     */
    public long size() {
        return size;
    }

    /**
     * Returns the configured maximum.
     *
     * @return bytes
     */
    public long maxSize() {
        return maxSize;
    }
}
