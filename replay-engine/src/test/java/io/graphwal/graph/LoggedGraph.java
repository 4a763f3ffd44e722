package io.graphwal.graph;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;

import io.graphwal.io.FileIO;
import io.graphwal.wal.LogWriter;
import io.graphwal.wal.SyncMode;
import io.graphwal.wal.WalConfig;
import io.graphwal.wal.WalListener;
import io.graphwal.wal.WalPoisonedException;
import io.graphwal.wal.WalReader;
import io.graphwal.wal.WriteAheadLog;

/**
 * A graph over a log in a test directory, opened the way the replay engine will open one: a fresh store
 * rebuilt from every record in the log, then a {@link Graph} over it. {@link #reopen()} closes the log and
 * does it again, so comparing {@link #dump()} before and after shows whether replay rebuilds the same graph.
 * The graph reaches the log through {@link #over}, a test's copy of the few lines with which the database
 * wires a graph to its log, so that these tests exercise the graph against the real log's durability.
 */
final class LoggedGraph implements AutoCloseable {

    private static final Duration BOUND = Duration.ofSeconds(30);

    final Path dir;
    final SyncMode mode;
    final LogWriter writer;
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
        this.writer = LogWriter.open(configure.apply(WalConfig.builder(dir).syncMode(mode)
                .groupInterval(Duration.ofMillis(5)).listener(tracker)).build());
        this.wal = writer.log();
        try {
            this.store = replay(wal);
        } catch (RuntimeException | Error e) {
            writer.close();
            throw e;
        }
        this.graph = new Graph(store, over(writer));
    }

    /** The graph's log as the write-ahead log provides it, as the database wires it. */
    static TransactionLog over(LogWriter writer) {
        WriteAheadLog wal = writer.log();
        return new TransactionLog() {
            @Override
            public boolean visibleOnlyWhenDurable() {
                return wal.config().syncMode() == SyncMode.PER_COMMIT;
            }

            @Override
            public void checkWritable() {
                if (wal.poison() != null) {
                    throw new WalPoisonedException(wal.poison());
                }
            }

            @Override
            public long write(ByteBuffer transaction) {
                return writer.write(MutationCodec.TRANSACTION_RECORD, transaction);
            }

            @Override
            public void awaitDurable(long lsn) {
                wal.awaitDurable(lsn);
            }

            @Override
            public long durableLsn() {
                return wal.durableLsn();
            }

            @Override
            public CompletableFuture<Long> durable(long lsn) {
                return wal.durable(lsn);
            }

            @Override
            public void fail(String operation, Throwable cause) {
                writer.poison(operation, cause);
            }
        };
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
        writer.close();
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
        writer.close();
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
