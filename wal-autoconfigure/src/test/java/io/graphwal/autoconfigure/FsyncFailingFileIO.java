package io.graphwal.autoconfigure;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;

import io.graphwal.wal.FileHandle;
import io.graphwal.wal.FileIO;
import io.graphwal.wal.ForwardingFileIO;

/**
 * The standard file layer, except that once {@link #failFsyncs()} is called every file fsync fails, which
 * poisons the log at its next fsync.
 */
public final class FsyncFailingFileIO extends ForwardingFileIO {

    private final AtomicBoolean failing = new AtomicBoolean();

    public FsyncFailingFileIO() {
        super(FileIO.standard());
    }

    /** Makes every later file fsync fail. */
    public void failFsyncs() {
        failing.set(true);
    }

    @Override
    protected FileHandle wrap(Path path, OpenMode mode, FileHandle handle) {
        return new ForwardingHandle(handle) {
            @Override
            public void force() throws IOException {
                if (failing.get()) {
                    throw new IOException("injected fsync failure");
                }
                delegate.force();
            }
        };
    }
}
