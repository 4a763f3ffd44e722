package io.graphwal.snapshot;

import java.io.IOException;
import java.nio.file.Path;

import io.graphwal.graph.GraphStore;
import io.graphwal.graph.StoreImage;
import io.graphwal.io.FileIO;

/**
 * Graph snapshots: a {@link StoreImage} streamed as the checksummed body of a snapshot file. The graph writes
 * and reads its image through its own {@link io.graphwal.graph.ImageOutput} and
 * {@link io.graphwal.graph.ImageInput}, which this package's block streams implement, so the graph never
 * learns that its image ends up in a file.
 */
public final class GraphSnapshots {

    private GraphSnapshots() {
    }

    /**
     * Writes {@code image} as {@code snapshot-<its LSN>.snap} in {@code directory}, atomically and durably.
     *
     * @param io the file system
     * @param directory the database directory
     * @param image the frozen graph
     * @return the file written and its size
     * @throws IOException if writing fails (no snapshot file is left)
     */
    public static SnapshotFiles.Written write(FileIO io, Path directory, StoreImage image) throws IOException {
        return SnapshotFiles.write(io, directory, image.lsn(), image::writeTo);
    }

    /**
     * Reads a snapshot file into a new store.
     *
     * @param io the file system
     * @param file the snapshot
     * @return the store, at the snapshot's LSN
     * @throws IOException if the file is damaged or cannot be read, naming it
     */
    public static GraphStore read(FileIO io, Path file) throws IOException {
        return SnapshotFiles.read(io, file, StoreImage::read);
    }

    /**
     * Checks a snapshot file by every rule {@link #read} applies, without building the store.
     *
     * @param io the file system
     * @param file the snapshot
     * @return the LSN its body is at
     * @throws IOException if the file is damaged or cannot be read, naming it
     */
    public static long verify(FileIO io, Path file) throws IOException {
        return SnapshotFiles.read(io, file, StoreImage::verify);
    }
}
