package io.graphwal.tool;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.graphwal.io.FileHandle;
import io.graphwal.io.FileIO;

/**
 * The file layer of one run of the tool: it opens each file once, for reading only, and keeps it open until
 * the run ends, handing the same handle to every later open of that path.
 *
 * <p>That is how a run reads only what was there when it looked. A live checkpoint deletes old snapshots
 * and purges old segments at any moment; a file opened before that stays readable through its handle (on
 * POSIX systems, and on Windows, where Java opens files with delete sharing), so once the scan has opened a
 * segment, a later dump or rebuild reads it whole even if it is gone from the directory by then. Listing a
 * directory opens its segments and snapshots at once, so the only window left is the moment between the
 * listing and those opens. Not thread-safe: one per run.
 */
final class PinnedFiles implements FileIO, AutoCloseable {

    /** Listings taken before a purge racing with them is given up on; each takes a moment only. */
    private static final int LISTING_ATTEMPTS = 10;

    private final FileIO delegate;
    private final Map<Path, FileHandle> open = new LinkedHashMap<>();

    PinnedFiles(FileIO delegate) {
        this.delegate = delegate;
    }

    /** Opens {@code path} now unless it is open already, so that it stays readable for the rest of the run. */
    void pin(Path path) throws IOException {
        handle(path);
    }

    /** The size of a pinned (or now pinned) file, even if it has been deleted since it was opened. */
    long size(Path path) throws IOException {
        return handle(path).size();
    }

    @Override
    public FileHandle open(Path path, OpenMode mode) throws IOException {
        if (mode != OpenMode.READ) {
            throw new IOException("The wal tool only reads; it does not open " + path + " as " + mode);
        }
        FileHandle handle = handle(path);
        return new FileHandle() {
            @Override
            public void write(ByteBuffer source, long position) throws IOException {
                throw new IOException("The wal tool only reads; it does not write " + path);
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
                throw new IOException("The wal tool only reads; it does not sync " + path);
            }

            @Override
            public void truncate(long size) throws IOException {
                throw new IOException("The wal tool only reads; it does not truncate " + path);
            }

            @Override
            public void close() {
                // stays open until the run ends, see the class comment
            }
        };
    }

    private FileHandle handle(Path path) throws IOException {
        FileHandle handle = open.get(path);
        if (handle == null) {
            handle = delegate.open(path, OpenMode.READ);
            open.put(path, handle);
        }
        return handle;
    }

    /**
     * Lists a directory and at once opens every segment and snapshot in it, so that a checkpoint purging them
     * while the run reads cannot take them away. If one was deleted between the listing and its open, the
     * listing is stale (a purge was under way) and is taken again.
     */
    @Override
    public List<Path> list(Path directory) throws IOException {
        for (int attempt = 1; ; attempt++) {
            List<Path> listed = delegate.list(directory);
            try {
                for (Path path : listed) {
                    String name = path.getFileName().toString();
                    if (name.endsWith(".wal") || name.endsWith(".snap")) {
                        handle(path);
                    }
                }
                return listed;
            } catch (NoSuchFileException e) {
                if (attempt == LISTING_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    @Override
    public void move(Path source, Path target) throws IOException {
        throw new IOException("The wal tool only reads; it does not move " + source);
    }

    @Override
    public void syncDirectory(Path directory) throws IOException {
        throw new IOException("The wal tool only reads; it does not sync " + directory);
    }

    @Override
    public void delete(Path path) throws IOException {
        throw new IOException("The wal tool only reads; it does not delete " + path);
    }

    @Override
    public void createDirectories(Path directory) throws IOException {
        throw new IOException("The wal tool only reads; it does not create " + directory);
    }

    /** Closes every file the run opened. */
    @Override
    public void close() {
        for (FileHandle handle : open.values()) {
            try {
                handle.close();
            } catch (IOException e) {
                // a read-only handle has nothing to lose on close
            }
        }
        open.clear();
    }
}
