package io.graphwal.snapshot;

import java.io.IOException;
import java.nio.file.Path;

/** A snapshot file is damaged or unreadable; the message names the file, the byte offset and the problem. */
public class SnapshotCorruptException extends IOException {

    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final long offset;

    /**
     * Creates the exception.
     *
     * @param file the snapshot
     * @param offset the byte offset of the problem
     * @param problem what is wrong
     */
    public SnapshotCorruptException(Path file, long offset, String problem) {
        super("Snapshot " + file + " is damaged at byte offset " + offset + ": " + problem);
        this.file = file;
        this.offset = offset;
    }

    /**
     * Returns the snapshot file.
     *
     * @return the path
     */
    public Path file() {
        return file;
    }

    /**
     * Returns the byte offset of the problem.
     *
     * @return the offset
     */
    public long offset() {
        return offset;
    }
}
