package io.graphwal.replay;

import java.io.IOException;
import java.nio.file.Path;

import io.graphwal.graph.GraphStore;
import io.graphwal.graph.ImageInput;
import io.graphwal.graph.ImageOutput;
import io.graphwal.graph.StoreImage;
import io.graphwal.io.FileIO;
import io.graphwal.snapshot.SnapshotFiles;
import io.graphwal.snapshot.SnapshotInput;
import io.graphwal.snapshot.SnapshotOutput;

/**
 * Graph snapshots: a {@link StoreImage}'s stream carried as the checksummed body of a snapshot file, so that
 * the graph writes and reads its image without knowing it ends up in a file, and the snapshot files know
 * nothing of graphs.
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
        return SnapshotFiles.write(io, directory, image.lsn(), out -> image.writeTo(output(out)));
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
        return SnapshotFiles.read(io, file, in -> StoreImage.read(input(in)));
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
        return SnapshotFiles.read(io, file, in -> StoreImage.verify(input(in)));
    }

    private static ImageOutput output(SnapshotOutput out) {
        return new ImageOutput() {
            @Override
            public void writeByte(int value) throws IOException {
                out.writeByte(value);
            }

            @Override
            public void writeInt(int value) throws IOException {
                out.writeInt(value);
            }

            @Override
            public void writeLong(long value) throws IOException {
                out.writeLong(value);
            }

            @Override
            public void writeBytes(byte[] value) throws IOException {
                out.writeBytes(value);
            }

            @Override
            public void writeLongs(long[] values, int from, int count) throws IOException {
                out.writeLongs(values, from, count);
            }

            @Override
            public void writeInts(int[] values, int from, int count) throws IOException {
                out.writeInts(values, from, count);
            }
        };
    }

    private static ImageInput input(SnapshotInput in) {
        return new ImageInput() {
            @Override
            public int readByte() throws IOException {
                return in.readByte();
            }

            @Override
            public int readInt() throws IOException {
                return in.readInt();
            }

            @Override
            public long readLong() throws IOException {
                return in.readLong();
            }

            @Override
            public byte[] readBytes(int maxLength) throws IOException {
                return in.readBytes(maxLength);
            }

            @Override
            public void skipBytes(int maxLength) throws IOException {
                in.skipBytes(maxLength);
            }

            @Override
            public void readLongs(long[] values, int from, int count) throws IOException {
                in.readLongs(values, from, count);
            }

            @Override
            public void readInts(int[] values, int from, int count) throws IOException {
                in.readInts(values, from, count);
            }

            @Override
            public long bytesLeft() {
                return in.bytesLeft();
            }

            @Override
            public IOException corrupt(String problem) {
                return in.corrupt(problem);
            }
        };
    }
}
