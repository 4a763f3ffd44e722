package io.graphwal.wal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

import io.graphwal.concurrent.Threads;

/**
 * The flusher of a log in {@link SyncMode#GROUP}: a daemon thread named {@code graphwal-flusher[dir]} that
 * leads an fsync every group interval when anything new was appended, so appends never wait for one.
 *
 * <p><b>Threads.</b> The log starts it when it opens and {@linkplain #stop() stops and joins} it when it
 * closes, before the final fsync. The thread only ever calls {@link DurabilityTracker#awaitDurable}, like any
 * committer: it shares an fsync already running, holds no lock of the log's, and after a failed fsync (the
 * log is poisoned) it exits for good, since nothing can be made durable any more. The stop flag is volatile
 * and {@link #stop()} unparks the thread, so a pass that is waiting for its interval ends at once; a pass
 * inside an fsync finishes it first.
 */
final class GroupFlusher {

    private final Thread thread;
    private final long intervalNanos;
    private final DurabilityTracker durability;
    private final LongSupplier appendedLsn;
    private volatile boolean running = true;

    private GroupFlusher(Path directory, Duration interval, DurabilityTracker durability, LongSupplier appendedLsn) {
        this.intervalNanos = interval.toNanos();
        this.durability = durability;
        this.appendedLsn = appendedLsn;
        this.thread = new Thread(this::run, "graphwal-flusher[" + directory.getFileName() + "]");
        thread.setDaemon(true);
    }

    /**
     * Starts the flusher of the log in {@code directory}.
     *
     * @param interval how long the flusher waits between two fsyncs
     * @param appendedLsn the log's appended LSN, read at each pass: what the next fsync must cover
     */
    static GroupFlusher start(Path directory, Duration interval, DurabilityTracker durability,
            LongSupplier appendedLsn) {
        GroupFlusher flusher = new GroupFlusher(directory, interval, durability, appendedLsn);
        flusher.thread.start();
        return flusher;
    }

    private void run() {
        long next = System.nanoTime() + intervalNanos;
        while (running) {
            long wait = next - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(this, wait);
                continue;
            }
            next = Math.max(next + intervalNanos, System.nanoTime());
            long target = appendedLsn.getAsLong();
            if (target > durability.durableLsn()) {
                try {
                    durability.awaitDurable(target);
                } catch (WalPoisonedException e) {
                    return; // poisoned: there is nothing left to flush, ever
                }
            }
        }
    }

    /**
     * Stops the thread and waits for it to end. Uninterruptible, so that no thread of a closed log is left
     * running; a pending interrupt is restored on return.
     */
    void stop() {
        running = false;
        LockSupport.unpark(thread);
        Threads.joinUninterruptibly(thread);
    }
}
