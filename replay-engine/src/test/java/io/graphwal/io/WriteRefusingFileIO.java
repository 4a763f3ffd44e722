package io.graphwal.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * A {@link FileIO} for tests of read-only code: it lists directories and opens files for reading, and fails
 * the test with an {@link AssertionError} at any attempt to create, write, truncate, fsync, rename or delete.
 * Public so that tests of the {@code wal} tool can use it too.
 */
public final class WriteRefusingFileIO extends ForwardingFileIO {

    public WriteRefusingFileIO() {
        super(FileIO.standard());
    }

    @Override
    public FileHandle open(Path path, OpenMode mode) throws IOException {
        if (mode != OpenMode.READ) {
            throw refused("open " + path.getFileName() + " in mode " + mode);
        }
        String name = path.getFileName().toString();
        return new ForwardingHandle(delegate.open(path, mode)) {
            @Override
            public void write(ByteBuffer source, long position) {
                throw refused("write to " + name);
            }

            @Override
            public void force() {
                throw refused("fsync " + name);
            }

            @Override
            public void truncate(long size) {
                throw refused("truncate " + name + " to " + size + " bytes");
            }
        };
    }

    @Override
    public void move(Path source, Path target) {
        throw refused("rename " + source.getFileName() + " to " + target.getFileName());
    }

    @Override
    public void syncDirectory(Path directory) {
        throw refused("fsync the directory " + directory.getFileName());
    }

    @Override
    public void delete(Path path) {
        throw refused("delete " + path.getFileName());
    }

    @Override
    public void createDirectories(Path directory) {
        throw refused("create the directory " + directory);
    }

    private static AssertionError refused(String what) {
        return new AssertionError("read-only code tried to " + what);
    }
}
