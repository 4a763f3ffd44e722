package io.graphwal.tool;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import io.graphwal.graph.GraphStore;
import io.graphwal.snapshot.GraphSnapshots;
import io.graphwal.snapshot.SnapshotCorruptException;
import io.graphwal.snapshot.SnapshotFiles;

/**
 * One snapshot read completely, the way opening the graph reads it: header, every block checksum, the end of
 * the body, and a full decode into a store.
 *
 * @param file the snapshot
 * @param lsn its LSN, from its name
 * @param bytes its size
 * @param store the decoded graph, or {@code null} if the snapshot is not valid
 * @param problem why it is not valid, naming the file, or {@code null}
 */
record SnapshotCheck(Path file, long lsn, long bytes, GraphStore store, String problem) {

    boolean valid() {
        return problem == null;
    }

    /**
     * Reads the snapshot.
     *
     * @param io the run's files: a snapshot pinned when it was listed is read even if retention has deleted it
     * @throws NoSuchFileException if it was removed (by a live checkpoint's retention) before it was opened
     */
    static SnapshotCheck read(PinnedFiles io, Path file) throws NoSuchFileException {
        long lsn = SnapshotFiles.parseFileName(file.getFileName().toString());
        long bytes;
        try {
            bytes = io.size(file);
        } catch (NoSuchFileException e) {
            throw e;
        } catch (IOException e) {
            return new SnapshotCheck(file, lsn, -1, null, "Snapshot " + file + " cannot be read: " + e);
        }
        try {
            GraphStore store = GraphSnapshots.read(io, file);
            if (store.appliedLsn() != lsn) {
                return new SnapshotCheck(file, lsn, bytes, null, "Snapshot " + file + " holds the graph at LSN "
                        + store.appliedLsn() + " but its name and header say LSN " + lsn);
            }
            return new SnapshotCheck(file, lsn, bytes, store, null);
        } catch (NoSuchFileException e) {
            throw e;
        } catch (SnapshotCorruptException e) {
            return new SnapshotCheck(file, lsn, bytes, null, e.getMessage());
        } catch (IOException e) {
            return new SnapshotCheck(file, lsn, bytes, null, "Snapshot " + file + " cannot be read: " + e);
        } catch (RuntimeException e) {
            // Every block's checksum held, yet the body does not decode: written this way, or by another version.
            return new SnapshotCheck(file, lsn, bytes, null, "Snapshot " + file + " does not decode: "
                    + e.getMessage());
        }
    }
}
