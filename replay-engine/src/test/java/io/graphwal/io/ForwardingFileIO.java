package io.graphwal.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;

/**
 * The base of the tests' {@link FileIO} wrappers: passes every call to a delegate, so a wrapper overrides
 * only the calls it watches or breaks. {@link #wrap} decorates each opened file. Public so tests of other
 * packages can build on it.
 */
public class ForwardingFileIO implements FileIO {

    protected final FileIO delegate;

    public ForwardingFileIO(FileIO delegate) {
        this.delegate = delegate;
    }

    /** Wraps a file just opened; the default returns it as it is. */
    protected FileHandle wrap(Path path, OpenMode mode, FileHandle handle) {
        return handle;
    }

    @Override
    public FileHandle open(Path path, OpenMode mode) throws IOException {
        return wrap(path, mode, delegate.open(path, mode));
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

    /** A {@link FileHandle} that passes every call to a delegate. */
    public static class ForwardingHandle implements FileHandle {

        protected final FileHandle delegate;

        public ForwardingHandle(FileHandle delegate) {
            this.delegate = delegate;
        }

        @Override
        public void write(ByteBuffer source, long position) throws IOException {
            delegate.write(source, position);
        }

        @Override
        public int read(ByteBuffer destination, long position) throws IOException {
            return delegate.read(destination, position);
        }

        @Override
        public long size() throws IOException {
            return delegate.size();
        }

        @Override
        public void force() throws IOException {
            delegate.force();
        }

        @Override
        public void truncate(long size) throws IOException {
            delegate.truncate(size);
        }

        @Override
        public void close() throws IOException {
            delegate.close();
        }
    }
}
