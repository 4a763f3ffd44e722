package io.graphwal.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The standard file layer, except that once {@link #failFsyncs()} is called every file fsync fails, which
 * poisons the log at its next fsync. Shared through the test jar with the starter's and the sample's tests.
 */
public final class FsyncFailingFileIO extends ForwardingFileIO {

    private final AtomicBoolean failing = new AtomicBoolean();

    /** Creates a layer that forwards to the standard one until told to fail. */
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
