package io.graphwal.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The only door through which GraphWAL touches the file system.
 *
 * <p>Every write, fsync, truncation, rename, directory fsync, listing and deletion made by the log and
 * by snapshots goes through this interface, so a test can substitute an implementation that fails a
 * chosen call or forgets unsynced bytes (a simulated power loss) without any test-only branch in the
 * production code. {@link #standard()} is the {@code FileChannel} implementation used in production.
 */
public interface FileIO {

    /** How {@link #open(Path, OpenMode)} opens a file. */
    enum OpenMode {
        /** Create a new file for reading and writing; fail if it exists. */
        CREATE_NEW,
        /** Open an existing file for reading and writing. */
        READ_WRITE,
        /** Open an existing file for reading only. */
        READ
    }

    /**
     * Opens a file.
     *
     * @param path the file
     * @param mode how to open it
     * @return a handle that the caller closes
     * @throws IOException if the file cannot be opened as asked
     */
    FileHandle open(Path path, OpenMode mode) throws IOException;

    /**
     * Atomically renames {@code source} to {@code target}, replacing {@code target} if it exists. The
     * rename is durable only after {@link #syncDirectory(Path)} on the parent directory.
     *
     * @param source the existing file
     * @param target the new name
     * @throws IOException if the rename fails
     */
    void move(Path source, Path target) throws IOException;

    /**
     * Makes the directory's entries (created, renamed and deleted files) durable.
     *
     * @param directory the directory
     * @throws IOException if the directory cannot be synced
     */
    void syncDirectory(Path directory) throws IOException;

    /**
     * Lists the regular files and other entries directly inside a directory, in no particular order.
     *
     * @param directory the directory
     * @return the entries' paths
     * @throws IOException if the directory cannot be read
     */
    List<Path> list(Path directory) throws IOException;

    /**
     * Deletes a file if it exists. The deletion is durable only after {@link #syncDirectory(Path)}.
     *
     * @param path the file
     * @throws IOException if the file exists and cannot be deleted
     */
    void delete(Path path) throws IOException;

    /**
     * Creates a directory and any missing parents, readable and writable by the owner only where the file
     * system supports POSIX permissions.
     *
     * @param directory the directory
     * @throws IOException if it cannot be created
     */
    void createDirectories(Path directory) throws IOException;

    /**
     * Returns the production implementation over {@link java.nio.channels.FileChannel}.
     *
     * @return the shared standard implementation
     */
    static FileIO standard() {
        return ChannelFileIO.INSTANCE;
    }
}
