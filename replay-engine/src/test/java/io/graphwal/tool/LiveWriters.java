package io.graphwal.tool;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import io.graphwal.io.FileIO;
import io.graphwal.replay.DatabaseConfig;
import io.graphwal.replay.GraphDatabase;
import io.graphwal.wal.SyncMode;
import io.graphwal.wal.WalConfig;

/**
 * A {@link GraphDatabase} kept busy by many committing threads, with small segments and frequent automatic
 * checkpoints so that rollovers, snapshot writes, snapshot retention and segment purges all happen while the
 * tool reads the directory. {@link #awaitProgress} lets a test make sure that writers really ran between two
 * runs of the tool, without depending on how fast they run.
 */
final class LiveWriters implements AutoCloseable {

    static final Duration BOUND = Duration.ofSeconds(60);

    private final GraphDatabase db;
    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicLong commits = new AtomicLong();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final List<Thread> threads = new ArrayList<>();

    /**
     * @param checkpointEvery an automatic checkpoint after this many commits (0: none)
     */
    LiveWriters(Path dir, SyncMode mode, FileIO io, int writers, long checkpointEvery) {
        WalConfig wal = WalConfig.builder(dir).syncMode(mode).segmentSize(32 * 1024).maxRecordSize(4096)
                .groupInterval(Duration.ofMillis(2)).fileIO(io).build();
        db = GraphDatabase.open(new DatabaseConfig(wal, checkpointEvery, 2));
        for (int i = 0; i < writers; i++) {
            int writer = i;
            Thread thread = new Thread(() -> {
                try {
                    while (!stop.get()) {
                        db.commit(tx -> tx.createNode(List.of("Live"), Map.of("writer", (long) writer,
                                "text", "w".repeat(150))));
                        commits.incrementAndGet();
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }, "live-writer-" + i);
            thread.start();
            threads.add(thread);
        }
    }

    GraphDatabase db() {
        return db;
    }

    long commits() {
        return commits.get();
    }

    /** Waits until the writers have committed {@code more} transactions since {@code since}. */
    void awaitProgress(long since, long more) {
        await("writers committed " + more + " more transactions", () -> commits.get() >= since + more
                || failure.get() != null);
        if (failure.get() != null) {
            throw new AssertionError("a writer failed", failure.get());
        }
    }

    static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + BOUND.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Timed out after " + BOUND + " waiting until " + what);
            }
            LockSupport.parkNanos(1_000_000); // poll gently; the bound, not this pause, decides failure
        }
    }

    /** Stops the writers (letting any held one go first is the caller's job) and closes the database. */
    @Override
    public void close() throws InterruptedException {
        stop.set(true);
        for (Thread thread : threads) {
            thread.join();
        }
        db.close();
        if (failure.get() != null) {
            throw new AssertionError("a writer failed", failure.get());
        }
    }
}
