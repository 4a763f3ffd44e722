package io.graphwal.reliability;

import java.io.IOException;
import java.nio.file.Path;
import java.util.function.LongSupplier;

import io.graphwal.io.FileHandle;
import io.graphwal.io.FileIO;
import io.graphwal.io.ForwardingFileIO;

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
final class TracingFileIO extends ForwardingFileIO {

    /** -1 until the log is open: the fsync that opening makes covers nothing of this cycle. */
    private volatile LongSupplier appendedLsn = () -> -1;

    TracingFileIO() {
        super(FileIO.standard());
    }

    /** Tells the tracer where to read the appended LSN from, once the database is open. */
    void traceAppendedLsn(LongSupplier source) {
        appendedLsn = source;
    }

    @Override
    protected FileHandle wrap(Path path, OpenMode mode, FileHandle handle) {
        String name = path.getFileName().toString();
        return new ForwardingHandle(handle) {
            @Override
            public void force() throws IOException {
                traced(name, delegate::force);
            }

            @Override
            public boolean mapForWriting(long size) throws IOException {
                // The forwarding handle keeps system-call writes; this trace must leave the mapped path on.
                return delegate.mapForWriting(size);
            }
        };
    }

    @Override
    public void syncDirectory(Path directory) throws IOException {
        traced(directory.getFileName() + "/", () -> super.syncDirectory(directory));
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
}
