package io.graphwal.wal;

import java.nio.file.Path;

/**
 * The log's files are damaged in a way that recovery must not repair on its own. The message names the
 * file, the byte offset and the LSN concerned, and the operator's options.
 */
public class WalCorruptionException extends WalException {

    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final long offset;
    private final long lsn;

    /**
     * Creates the exception.
     *
     * @param file the damaged file
     * @param offset the byte offset of the damage
     * @param lsn the LSN expected at that offset
     * @param message the whole explanation, including the operator's options
     */
    public WalCorruptionException(Path file, long offset, long lsn, String message) {
        super(message);
        this.file = file;
        this.offset = offset;
        this.lsn = lsn;
    }

    /**
     * Returns the damaged file.
     *
     * @return the file
     */
    public Path file() {
        return file;
    }

    /**
     * Returns the byte offset of the damage in {@link #file()}.
     *
     * @return the offset
     */
    public long offset() {
        return offset;
    }

    /**
     * Returns the LSN expected at the damaged offset.
     *
     * @return the LSN
     */
    public long lsn() {
        return lsn;
    }
}
