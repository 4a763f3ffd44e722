package io.graphwal.reliability;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.function.LongSupplier;

import io.graphwal.io.FileHandle;
import io.graphwal.io.FileIO;

/**
 * The standard {@link FileIO} with every fsync reported, for {@link PowerLossChild}: which file, when it started
 * and returned on {@code CLOCK_MONOTONIC} ({@link System#nanoTime()} on Linux, the clock the parent reads
 * around the shutdown ioctl), whether it succeeded, and the log's appended LSN just before it started. Every
 * record up to that LSN was in the operating system before the fsync began, so an fsync of the active segment
 * that succeeds covers them; that is how the parent tells a loss the kernel had already reported durable
 * before the power went from one that only an fsync "succeeding" during the shutdown covered.
 *
 * <p>The line, {@code S <ok|fail> <appended LSN> <start> <end> <file>} (a directory's name ends with {@code /}),
 * is printed by the syncing thread before the fsync returns to the log, so every acknowledgement that depends
 * on it reaches the parent after it. Everything else is passed through untouched, the memory-mapped write path
 * included.
 */
final class TracingFileIO implements FileIO {

    private final FileIO delegate = FileIO.standard();
    /** -1 until the log is open: the fsync that opening makes covers nothing of this cycle. */
    private volatile LongSupplier appendedLsn = () -> -1;

    /** Tells the tracer where to read the appended LSN from, once the database is open. */
    void traceAppendedLsn(LongSupplier source) {
        appendedLsn = source;
    }

    @Override
    public FileHandle open(Path path, OpenMode mode) throws IOException {
        return new TracedHandle(delegate.open(path, mode), path.getFileName().toString());
    }

    @Override
    public void move(Path source, Path target) throws IOException {
        delegate.move(source, target);
    }

    @Override
    public void syncDirectory(Path directory) throws IOException {
        traced(directory.getFileName() + "/", () -> delegate.syncDirectory(directory));
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

    private interface Sync {
        void run() throws IOException;
    }

    private void traced(String name, Sync sync) throws IOException {
        long covers = appendedLsn.getAsLong();
        long start = System.nanoTime();
        try {
            sync.run();
        } catch (IOException | RuntimeException | Error e) {
            ChildReport.say("S fail " + covers + " " + start + " " + System.nanoTime() + " " + name);
            throw e;
        }
        ChildReport.say("S ok " + covers + " " + start + " " + System.nanoTime() + " " + name);
    }

    private final class TracedHandle implements FileHandle {
        private final FileHandle handle;
        private final String name;

        TracedHandle(FileHandle handle, String name) {
            this.handle = handle;
            this.name = name;
        }

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
            traced(name, handle::force);
        }

        @Override
        public void truncate(long size) throws IOException {
            handle.truncate(size);
        }

        @Override
        public boolean mapForWriting(long size) throws IOException {
            return handle.mapForWriting(size);
        }

        @Override
        public void close() throws IOException {
            handle.close();
        }
    }
}
