package io.graphwal.wal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.UUID;

import io.graphwal.io.FileHandle;
import io.graphwal.io.FileIO;

/**
 * The identity of the history a log holds, in the file {@code graph.id} beside its segments: a random UUID
 * given when the log is first opened, kept by every later open, and carried over by a restore or a replica
 * that continues the same history elsewhere. An LSN means something only within one history, so whoever
 * compares LSNs across places (an archive, a change-feed topic) compares this id first.
 *
 * <p>The file is one line of text, written to a temporary file, fsynced and renamed, so it is whole or absent.
 */
final class GraphId {

    static final String FILE_NAME = "graph.id";
    private static final String TEMP_NAME = "graph.id.tmp";
    private static final int MAX_BYTES = 128;

    private GraphId() {
    }

    /**
     * Returns the directory's id, creating one if it has none.
     *
     * @param wanted the id to give a directory that has none, or {@code null} for a new random one
     * @throws IOException if the file cannot be read or written, or holds something else than an id, or
     *     {@code wanted} differs from the id the directory already has
     */
    static String loadOrCreate(FileIO io, Path directory, String wanted) throws IOException {
        String existing = read(io, directory);
        if (existing != null) {
            if (wanted != null && !wanted.equals(existing)) {
                throw new IOException(directory.resolve(FILE_NAME) + " names graph " + existing
                        + ", not graph " + wanted + " that this log continues; use an empty directory");
            }
            return existing;
        }
        String id = wanted != null ? check(wanted, "the graph id to continue") : UUID.randomUUID().toString();
        Path temp = directory.resolve(TEMP_NAME);
        if (io.list(directory).contains(temp)) {
            io.delete(temp); // left by a crash during an earlier first open
        }
        try (FileHandle file = io.open(temp, FileIO.OpenMode.CREATE_NEW)) {
            file.write(ByteBuffer.wrap((id + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
            file.force();
        }
        io.move(temp, directory.resolve(FILE_NAME));
        io.syncDirectory(directory);
        return id;
    }

    /** The id in {@code directory}, or {@code null} if it has no id file. */
    static String read(FileIO io, Path directory) throws IOException {
        Path path = directory.resolve(FILE_NAME);
        ByteBuffer bytes = ByteBuffer.allocate(MAX_BYTES);
        try (FileHandle file = io.open(path, FileIO.OpenMode.READ)) {
            while (bytes.hasRemaining() && file.read(bytes, bytes.position()) > 0) {
                // read until full or at the end
            }
        } catch (NoSuchFileException e) {
            return null;
        }
        String text = new String(bytes.array(), 0, bytes.position(), StandardCharsets.US_ASCII).trim();
        return check(text, path.toString());
    }

    private static String check(String id, String where) throws IOException {
        try {
            if (UUID.fromString(id).toString().equals(id)) {
                return id;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw new IOException(where + " does not hold a graph id (a UUID in lower-case text): '"
                + (id.length() > 40 ? id.substring(0, 40) + "..." : id) + "'");
    }
}
