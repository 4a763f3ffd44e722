package io.graphwal.wal;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * An open file, addressed by absolute position. Obtained from {@link FileIO#open}.
 *
 * <p>Implementations are safe for concurrent use: positional reads and writes from different threads may
 * overlap with {@link #force()}.
 */
public interface FileHandle extends Closeable {

    /**
     * Writes every remaining byte of {@code source} starting at {@code position}. On return the bytes are
     * in the operating system (they survive a crash of this process but not a power loss).
     *
     * @param source the bytes; its position advances to its limit
     * @param position the file offset of the first byte
     * @throws IOException if not every byte could be written; some may have been
     */
    void write(ByteBuffer source, long position) throws IOException;

    /**
     * Reads up to {@code destination.remaining()} bytes starting at {@code position}.
     *
     * @param destination where the bytes go
     * @param position the file offset of the first byte
     * @return the number of bytes read, or -1 at end of file
     * @throws IOException if the read fails
     */
    int read(ByteBuffer destination, long position) throws IOException;

    /**
     * Returns the file's current size in bytes.
     *
     * @return the size
     * @throws IOException if it cannot be read
     */
    long size() throws IOException;

    /**
     * Forces written data to stable storage (fdatasync: file data and the metadata needed to read it).
     *
     * @throws IOException if the data may not be durable; the caller must assume that unsynced writes are
     *     lost and must never simply retry
     */
    void force() throws IOException;

    /**
     * Truncates the file to {@code size} bytes.
     *
     * @param size the new size
     * @throws IOException if the truncation fails
     */
    void truncate(long size) throws IOException;
}
