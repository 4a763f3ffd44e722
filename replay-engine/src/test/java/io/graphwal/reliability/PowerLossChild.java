package io.graphwal.reliability;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;

import io.graphwal.graph.Commit;
import io.graphwal.io.FileIO;
import io.graphwal.replay.DatabaseConfig;
import io.graphwal.replay.GraphDatabase;
import io.graphwal.wal.SyncMode;
import io.graphwal.wal.WalConfig;

/**
 * The process under the power loss of {@link KernelPowerLossTest}: opens a database on the loop-mounted file
 * system and commits one node per transaction from several threads until the file system dies under it (and
 * it is killed), reporting on standard output, one flushed line each, what it attempts, what committed at
 * which LSN and what is acknowledged as durable.
 *
 * <p>Arguments: {@code DIR SYNC_MODE CYCLE THREADS SEED [flush-once]}. Lines: {@code READY}; per transaction
 * {@code A <tx>} before the commit starts and {@code C <tx> <lsn>} once {@code commit} returned; then the
 * acknowledgement by the rule of the mode: {@code D <tx> <nanos>} right after {@code C} in {@code per-commit}
 * mode (the commit returned after its fsync), {@code D <tx> <nanos>} from the {@code durable()} future's
 * completion in {@code group} mode (the writers do not wait for it, so many commits are in flight when the power
 * goes), and in {@code none} mode {@code F <lsn> <nanos>} from a flushing thread each time {@code flush()}
 * returned, covering every LSN up to it. {@code <nanos>} is {@link System#nanoTime()}, which on Linux reads
 * {@code CLOCK_MONOTONIC}, the clock the parent reads around the shutdown, taken as soon as the acknowledgement
 * is known and before the line waits for the output lock: it is never earlier than the acknowledgement, so
 * an acknowledgement stamped before the shutdown began really came before it. Every fsync is reported too, as
 * an {@code S} line of {@link TracingFileIO}.
 * Each node is labelled {@value #LABEL} and carries its transaction's name; nothing is deleted, so every
 * transaction ever recovered must stay. Anything unexpected prints {@code FAIL <exception>} and halts with 3,
 * which is what the child is expected to do once the file system is shut down.
 *
 * <p>Threads: writers {@code power-writer-N} and, in {@code none} mode, {@code power-flusher}, which flushes
 * once per {@value #FLUSH_EVERY} returned commits (counted through a semaphore, so how much is left
 * unflushed depends on commits, not on time). None is ever joined: the process ends by being killed.
 *
 * <p>With {@code flush-once} (none mode only) the child shows what an unflushed commit is worth: it flushes
 * once, after the first {@value #FLUSH_EVERY} commits, and never again, with no automatic checkpoints and
 * segments too large to roll over in a cycle, so nothing else fsyncs the log and every later commit lives only
 * in the page cache (through the mapping) when the power goes. Each writer then stops after
 * {@value #FLUSH_ONCE_COMMITS} commits and waits to be killed, so what is on the file system when the power goes
 * does not depend on how quickly the test reacts.
 */
final class PowerLossChild {

    static final String LABEL = "PowerLoss";
    /** In none mode, a flush after every this many returned commits. */
    static final int FLUSH_EVERY = 40;
    /** With flush-once, the commits of each writer. */
    static final int FLUSH_ONCE_COMMITS = 1000;


    private PowerLossChild() {
    }

    public static void main(String[] args) {
        try {
            run(Path.of(args[0]), SyncMode.valueOf(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]),
                    Long.parseLong(args[4]), args.length > 5 && args[5].equals("flush-once"));
        } catch (Throwable e) {
            ChildReport.fail(e);
        }
    }

    /**
     * The configuration of the child and of the test's recovery alike: small segments and frequent
     * checkpoints, so that rollover, snapshots and purge all happen on the file system that loses power.
     */
    static DatabaseConfig config(Path dir, SyncMode mode) {
        return config(dir, mode, FileIO.standard());
    }

    private static DatabaseConfig config(Path dir, SyncMode mode, FileIO io) {
        return new DatabaseConfig(WalConfig.builder(dir).syncMode(mode).groupInterval(Duration.ofMillis(2))
                .segmentSize(64 * 1024).maxRecordSize(16 * 1024).preallocate(!Boolean.getBoolean("graphwal.test.nomap"))
                .fileIO(io).build(), 150, 2);
    }

    /** The flush-once configuration: no automatic checkpoints, and segments that do not roll over in a cycle. */
    private static DatabaseConfig flushOnceConfig(Path dir, SyncMode mode, FileIO io) {
        return new DatabaseConfig(WalConfig.builder(dir).syncMode(mode).segmentSize(4 * 1024 * 1024)
                .maxRecordSize(16 * 1024).fileIO(io).build(), 0, 2);
    }

    private static void run(Path dir, SyncMode mode, int cycle, int threads, long seed, boolean flushOnce) {
        if (flushOnce && mode != SyncMode.NONE) {
            throw new IllegalArgumentException("flush-once needs none mode, not " + mode);
        }
        TracingFileIO io = new TracingFileIO();
        GraphDatabase db = GraphDatabase.open(flushOnce ? flushOnceConfig(dir, mode, io) : config(dir, mode, io));
        io.traceAppendedLsn(db.wal()::appendedLsn);
        Semaphore returned = new Semaphore(0);
        ChildReport.say("READY");
        for (int t = 0; t < threads; t++) {
            Random random = new Random(seed * 31 + t);
            String prefix = "c" + cycle + "t" + t + "n";
            long commits = flushOnce ? FLUSH_ONCE_COMMITS : Long.MAX_VALUE;
            Thread writer = new Thread(() -> write(db, mode, prefix, commits, random, returned), "power-writer-" + t);
            writer.start();
        }
        if (mode == SyncMode.NONE) {
            Thread flusher = new Thread(() -> flush(db, returned, flushOnce), "power-flusher");
            flusher.start();
        }
    }

    private static void write(GraphDatabase db, SyncMode mode, String prefix, long commits, Random random,
            Semaphore returned) {
        try {
            for (long n = 0; n < commits; n++) {
                String tx = prefix + n;
                String pad = "p".repeat(20 + random.nextInt(100));
                ChildReport.say("A " + tx);
                Commit<Long> commit = db.commit(t -> t.createNode(List.of(LABEL), Map.of("tx", tx, "pad", pad)));
                // Stamped before the C line, which may wait for the output lock or a full pipe.
                long committedAt = System.nanoTime();
                ChildReport.say("C " + tx + " " + commit.lsn());
                switch (mode) {
                    case PER_COMMIT -> ChildReport.say("D " + tx + " " + committedAt);
                    case GROUP -> commit.durable().whenComplete((lsn, failure) -> {
                        long acknowledged = System.nanoTime();
                        // A failed future is the poison after the shutdown: nothing to report.
                        if (failure == null) {
                            ChildReport.say("D " + tx + " " + acknowledged);
                        }
                    });
                    case NONE -> returned.release();
                }
            }
            // Done, but not ending: were every writer to end, the JVM would exit and close (flush) the database.
            new CountDownLatch(1).await();
        } catch (Throwable e) {
            ChildReport.fail(e);
        }
    }

    private static void flush(GraphDatabase db, Semaphore returned, boolean once) {
        try {
            do {
                returned.acquire(FLUSH_EVERY);
                long durable = db.wal().flush();
                ChildReport.say("F " + durable + " " + System.nanoTime());
            } while (!once);
        } catch (Throwable e) {
            ChildReport.fail(e);
        }
    }
}
