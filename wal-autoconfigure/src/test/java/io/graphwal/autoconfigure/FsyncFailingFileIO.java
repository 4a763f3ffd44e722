package io.graphwal.autoconfigure;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import io.graphwal.wal.FileHandle;
import io.graphwal.wal.FileIO;

/**
 * The standard file layer, except that once {@link #failFsyncs()} is called every file fsync fails, which
 * poisons the log at its next fsync.
 */
public final class FsyncFailingFileIO implements FileIO {

    private final FileIO delegate = FileIO.standard();

    private final AtomicBoolean failing = new AtomicBoolean();

    /** Makes every later file fsync fail. */
    public void failFsyncs() {
        failing.set(true);
    }

    @Override
    public FileHandle open(Path path, OpenMode mode) throws IOException {
        FileHandle handle = delegate.open(path, mode);
        return new FileHandle() {

            @Override
            public void write(ByteBuffer source, long position) throws IOException {
                handle.write(source, position);
            }

            @Override
            public int read(ByteBuffer destination, long position) throws IOException {
                return handle.read(destination, position);
            }

            @Override
            public long size() throws IOException {
                return handle.size();
            }

            @Override
            public void force() throws IOException {
                if (failing.get()) {
                    throw new IOException("injected fsync failure");
                }
                handle.force();
            }

            @Override
            public void truncate(long size) throws IOException {
                handle.truncate(size);
            }

            @Override
            public void close() throws IOException {
                handle.close();
            }
        };
    }

    @Override
    public void move(Path source, Path target) throws IOException {
        delegate.move(source, target);
    }

    @Override
    public void syncDirectory(Path directory) throws IOException {
        delegate.syncDirectory(directory);
    }

    @Override
    public List<Path> list(Path directory) throws IOException {
        return delegate.list(directory);
    }

    @Override
    public void delete(Path path) throws IOException {
        delegate.delete(path);
    }

    @Override
    public void createDirectories(Path directory) throws IOException {
        delegate.createDirectories(directory);
    }
}
