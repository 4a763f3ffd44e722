package io.graphwal.snapshot;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.zip.CRC32C;

import io.graphwal.io.FileHandle;
import io.graphwal.io.FileIO;

/**
 * Snapshot files: their names, their header, writing one atomically and reading one back.
 *
 * <pre>
 * snapshot-&lt;20-digit LSN&gt;.snap
 *   header (32 bytes): u32 magic "GWSN", u16 version, u16 flags, u64 LSN, u64 reserved, u32 reserved,
 *                      u32 CRC32C of bytes 0..28
 *   body: checksummed blocks ({@link SnapshotOutput}), ended by an empty block
 * </pre>
 *
 * A snapshot is written to {@code .snap.tmp}, fsynced, renamed into place and the directory fsynced, so a
 * name ending in {@code .snap} always means a complete, durable file; leftover temporary files are removed.
 */
public final class SnapshotFiles {

    /** How a snapshot's body is written. */
    @FunctionalInterface
    interface BodyWriter {
        /**
         * Writes the body.
         *
         * @param out the stream
         * @throws IOException if writing fails
         */
        void write(SnapshotOutput out) throws IOException;
    }

    /**
     * How a snapshot's body is read.
     *
     * @param <T> what reading produces
     */
    @FunctionalInterface
    interface BodyReader<T> {
        /**
         * Reads the body.
         *
         * @param in the stream
         * @return what was read
         * @throws IOException if reading fails or the body is damaged
         */
        T read(SnapshotInput in) throws IOException;
    }

    static final int MAGIC = 0x4E535747; // "GWSN" read little-endian
    static final short VERSION = 1;
    static final int HEADER_SIZE = 32;
    private static final String PREFIX = "snapshot-";
    private static final String SUFFIX = ".snap";
    private static final String TEMP_SUFFIX = ".snap.tmp";

    private SnapshotFiles() {
    }

    /**
     * Returns the file name of the snapshot at {@code lsn}.
     *
     * @param lsn the LSN
     * @return the name
     */
    public static String fileName(long lsn) {
        return String.format("%s%020d%s", PREFIX, lsn, SUFFIX);
    }

    /**
     * Parses a snapshot file name.
     *
     * @param name a file name
     * @return its LSN, or -1 if it is not a snapshot name
     */
    public static long parseFileName(String name) {
        if (!name.startsWith(PREFIX) || !name.endsWith(SUFFIX) || name.length() != PREFIX.length() + 20 + SUFFIX.length()) {
            return -1;
        }
        String digits = name.substring(PREFIX.length(), PREFIX.length() + 20);
        if (!digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return -1;
        }
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException tooLarge) {
            return -1;
        }
    }

    /**
     * Lists the snapshot files in a directory, newest (highest LSN) first.
     *
     * @param io the file layer
     * @param directory the directory
     * @return their paths
     * @throws IOException if the directory cannot be listed
     */
    public static List<Path> list(FileIO io, Path directory) throws IOException {
        List<Path> snapshots = new ArrayList<>();
        for (Path path : io.list(directory)) {
            if (parseFileName(path.getFileName().toString()) >= 0) {
                snapshots.add(path);
            }
        }
        snapshots.sort(Comparator.comparingLong((Path p) -> parseFileName(p.getFileName().toString())).reversed());
        return snapshots;
    }

    /**
     * Deletes temporary files left by a snapshot that was being written when the process stopped.
     *
     * @param io the file layer
     * @param directory the directory
     * @return how many were deleted
     * @throws IOException if one cannot be deleted
     */
    public static int deleteTemporaryFiles(FileIO io, Path directory) throws IOException {
        int deleted = 0;
        for (Path path : io.list(directory)) {
            String name = path.getFileName().toString();
            if (name.startsWith(PREFIX) && name.endsWith(TEMP_SUFFIX)) {
                io.delete(path);
                deleted++;
            }
        }
        if (deleted > 0) {
            io.syncDirectory(directory);
        }
        return deleted;
    }

    /**
     * Writes the snapshot at {@code lsn} atomically: temporary file, body, fsync, rename, directory fsync.
     *
     * @param io the file layer
     * @param directory the directory
     * @param lsn the LSN the body reflects
     * @param body writes the body
     * @return the snapshot's path and size in bytes
     * @throws IOException if any step fails (the temporary file is then removed if possible)
     */
    static Written write(FileIO io, Path directory, long lsn, BodyWriter body) throws IOException {
        Path target = directory.resolve(fileName(lsn));
        Path temp = directory.resolve(fileName(lsn).replace(SUFFIX, TEMP_SUFFIX));
        io.delete(temp);
        long size;
        try (FileHandle file = io.open(temp, FileIO.OpenMode.CREATE_NEW)) {
            file.write(header(lsn), 0);
            SnapshotOutput out = new SnapshotOutput(file, HEADER_SIZE);
            body.write(out);
            size = out.finish();
            file.force();
        } catch (IOException | RuntimeException e) {
            try {
                io.delete(temp);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        io.move(temp, target);
        io.syncDirectory(directory);
        return new Written(target, size);
    }

    /**
     * A written snapshot.
     *
     * @param path its file
     * @param bytes its size
     */
    public record Written(Path path, long bytes) {
    }

    /**
     * Reads a snapshot, verifying its header, every block and its end.
     *
     * @param io the file layer
     * @param path the snapshot
     * @param body reads the body
     * @param <T> what reading produces
     * @return what {@code body} returned
     * @throws SnapshotCorruptException if the file is damaged
     * @throws IOException if it cannot be read
     */
    static <T> T read(FileIO io, Path path, BodyReader<T> body) throws IOException {
        long expectedLsn = parseFileName(path.getFileName().toString());
        try (FileHandle file = io.open(path, FileIO.OpenMode.READ)) {
            ByteBuffer header = ByteBuffer.allocate(HEADER_SIZE).order(ByteOrder.LITTLE_ENDIAN);
            while (header.hasRemaining()) {
                if (file.read(header, header.position()) < 0) {
                    throw new SnapshotCorruptException(path, header.position(), "file ends inside the header");
                }
            }
            String problem = checkHeader(header.flip(), expectedLsn);
            if (problem != null) {
                throw new SnapshotCorruptException(path, 0, problem);
            }
            SnapshotInput in = new SnapshotInput(file, path, HEADER_SIZE);
            T result = body.read(in);
            in.finish();
            return result;
        }
    }

    static ByteBuffer header(long lsn) {
        ByteBuffer header = ByteBuffer.allocate(HEADER_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        header.putInt(MAGIC).putShort(VERSION).putShort((short) 0).putLong(lsn).putLong(0).putInt(0);
        CRC32C crc = new CRC32C();
        crc.update(header.array(), 0, HEADER_SIZE - 4);
        header.putInt((int) crc.getValue());
        return header.flip();
    }

    /** Returns null if the header is valid, else what is wrong with it. */
    static String checkHeader(ByteBuffer header, long expectedLsn) {
        if (header.getInt(0) != MAGIC) {
            return "not a GraphWAL snapshot (bad magic)";
        }
        CRC32C crc = new CRC32C();
        crc.update(header.duplicate().position(0).limit(HEADER_SIZE - 4));
        if ((int) crc.getValue() != header.getInt(HEADER_SIZE - 4)) {
            return "header checksum mismatch";
        }
        if (header.getShort(4) != VERSION) {
            return "unsupported snapshot format version " + header.getShort(4) + " (this build reads " + VERSION + ")";
        }
        if (header.getLong(8) != expectedLsn) {
            return "header says LSN " + header.getLong(8) + " but the file name says " + expectedLsn;
        }
        return null;
    }
}
