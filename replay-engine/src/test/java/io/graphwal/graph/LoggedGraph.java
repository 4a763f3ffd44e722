package io.graphwal.graph;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;

import io.graphwal.io.FileIO;
import io.graphwal.wal.SyncMode;
import io.graphwal.wal.WalConfig;
import io.graphwal.wal.WalListener;
import io.graphwal.wal.WalReader;
import io.graphwal.wal.WriteAheadLog;

/**
 * A graph over a log in a test directory, opened the way the replay engine will open one: a fresh store
 * rebuilt from every record in the log, then a {@link Graph} over it. {@link #reopen()} closes the log and
 * does it again, so comparing {@link #dump()} before and after shows whether replay rebuilds the same graph.
 */
final class LoggedGraph implements AutoCloseable {

    private static final Duration BOUND = Duration.ofSeconds(30);

    final Path dir;
    final SyncMode mode;
    final WriteAheadLog wal;
    final GraphStore store;
    final Graph graph;
    /** The newest LSN handed to the log, written or (in per-commit mode) still batched for the next fsync. */
    private final AtomicLong handedOver = new AtomicLong();

    private LoggedGraph(Path dir, SyncMode mode, UnaryOperator<WalConfig.Builder> configure) {
        this.dir = dir;
        this.mode = mode;
        WalListener tracker = new WalListener() {
            @Override
            public void appended(long lsn, int bytes) {
                handedOver.accumulateAndGet(lsn, Math::max);
            }
        };
        this.wal = WriteAheadLog.open(configure.apply(WalConfig.builder(dir).syncMode(mode)
                .groupInterval(Duration.ofMillis(5)).listener(tracker)).build());
        try {
            this.store = replay(wal);
        } catch (RuntimeException | Error e) {
            wal.close();
            throw e;
        }
        this.graph = new Graph(store, wal);
    }

    static LoggedGraph open(Path dir, SyncMode mode) {
        return new LoggedGraph(dir, mode, UnaryOperator.identity());
    }

    static LoggedGraph open(Path dir, SyncMode mode, FileIO io) {
        return new LoggedGraph(dir, mode, config -> config.fileIO(io));
    }

    /** Opens with the log configured further, e.g. with a smaller maximum record size. */
    static LoggedGraph open(Path dir, SyncMode mode, UnaryOperator<WalConfig.Builder> configure) {
        return new LoggedGraph(dir, mode, configure);
    }

    /** Rebuilds a store from every record of the log, in LSN order, as replay does. */
    static GraphStore replay(WriteAheadLog wal) {
        GraphStore store = new GraphStore();
        try (WalReader reader = wal.reader(1)) {
            while (reader.next()) {
                if (reader.type() != MutationCodec.TRANSACTION_RECORD) {
                    throw new AssertionError("LSN " + reader.lsn() + " has record type " + reader.type());
                }
                store.apply(reader.lsn(), MutationCodec.decode(reader.payload()));
            }
        }
        return store;
    }

    /** Closes the log, opens it again and replays it into a new store. */
    LoggedGraph reopen() {
        wal.close();
        return new LoggedGraph(dir, mode, UnaryOperator.identity());
    }

    GraphDump dump() {
        return GraphDump.of(graph, store).checkConsistent();
    }

    long appendedLsn() {
        return wal.appendedLsn();
    }

    long handedOverLsn() {
        return handedOver.get();
    }

    @Override
    public void close() {
        wal.close();
    }

    /** Waits for a condition with a generous bound, so that no test depends on timing to pass. */
    static void awaitUntil(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + BOUND.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Timed out after " + BOUND + " waiting until " + what);
            }
            LockSupport.parkNanos(1_000_000); // poll gently; the bound, not this pause, decides failure
        }
    }

    /** {@code normal}, or twenty times as much with -Dgraphwal.test.long=true (the long-running suites). */
    static int scaled(int normal) {
        return Boolean.getBoolean("graphwal.test.long") ? normal * 20 : normal;
    }

    /** A seed from -Dgraphwal.test.seed or the clock, printed so that a failure can be replayed. */
    static long seed(String test) {
        long seed = Long.getLong("graphwal.test.seed", System.nanoTime());
        System.out.println(test + " seed=" + seed + " (rerun with -Dgraphwal.test.seed=" + seed + ")");
        return seed;
    }
}
