package io.graphwal.io;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * An open file, addressed by absolute position. Obtained from {@link FileIO#open}.
 *
 * <p>Implementations are safe for concurrent use: positional reads and writes from different threads may
 * overlap with {@link #force()}. {@link #truncate}, {@link #close()} and {@link #mapForWriting} must not
 * overlap with any other call on the same handle.
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

    /**
     * Asks that writes into {@code [0, size)} go through shared memory mappings of the file from now on, so
     * that a small write is a memory copy instead of a system call. The file grows to {@code size} if it is
     * shorter. Written bytes are in the operating system's page cache the moment the copy ends, so they
     * survive a crash of this process exactly as bytes written by system calls do, and {@link #force()} makes
     * them durable alike. Mapped writes must go forward, each starting at or after the end of everything
     * written before it: the handle writes zeros ahead of them through the file system, so that the blocks
     * they land on are reserved and a full disk fails a {@link #write} with an {@code IOException}. Truncation
     * ends mapped writing; close releases any mapping.
     *
     * <p>A copy can still fault if the file is cut short under the mapping by someone else, or a page cannot
     * be read back from a failing disk. The JVM then raises an {@link InternalError} in the writing thread, not
     * necessarily inside {@link #write}: when the thread next checks for such errors, which in compiled code
     * can be on returning from {@code write} or, on Java 17, later still.
     *
     * <p>The default does nothing and reports {@code false}: writes keep going through {@link #write} system
     * calls. The test doubles that observe or break every write rely on that, and so does any platform where an
     * fsync is not known to cover pages written through a mapping.
     *
     * @param size how many bytes from the start of the file may be written through mappings
     * @return whether writes now go through mappings
     * @throws IOException if the file cannot be grown
     */
    default boolean mapForWriting(long size) throws IOException {
        return false;
    }
}
