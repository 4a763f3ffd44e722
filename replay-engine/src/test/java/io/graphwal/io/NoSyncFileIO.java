package io.graphwal.io;

import java.nio.file.Path;

/**
 * A {@link FileIO} whose fsyncs (of files and directories) return at once without reaching the disk, for
 * suites that open and commit thousands of times to check what the code does around its fsyncs, not what the
 * disk keeps: a crash of the test machine could lose their temporary files, which nothing needs afterwards.
 */
public final class NoSyncFileIO extends ForwardingFileIO {

    public NoSyncFileIO() {
        super(FileIO.standard());
    }

    @Override
    protected FileHandle wrap(Path path, OpenMode mode, FileHandle handle) {
        return new ForwardingHandle(handle) {
            @Override
            public void force() {
                // skipped: see the class comment
            }
        };
    }

    @Override
    public void syncDirectory(Path directory) {
        // skipped: see the class comment
    }
}
