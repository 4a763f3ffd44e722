package io.graphwal.benchmarks;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;
import org.rocksdb.HistogramType;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.Statistics;
import org.rocksdb.TickerType;
import org.rocksdb.WriteOptions;

/**
 * RocksDB as the peer for durable appends: one {@code put} of an 8-byte key (unique per thread and operation)
 * and a {@link #recordBytes}-byte value per operation, into a fresh database per trial with default options
 * (its write-ahead log is on, and RocksDB preallocates its log files itself). With {@code sync=true} a put
 * returns once RocksDB's log is fsynced, which RocksDB groups across concurrent writers as GraphWAL's
 * {@code per-commit} does; with {@code sync=false} once it is written to the operating system.
 */
@State(Scope.Benchmark)
@BenchmarkMode({Mode.Throughput, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(2)
public class RocksDbAppendBenchmark {

    /** Whether each put waits for an fsync of RocksDB's log. */
    @Param({"true", "false"})
    public boolean sync;

    /** Value bytes per put. */
    @Param({"64", "256", "4096"})
    public int recordBytes;

    private final AtomicInteger threadNumbers = new AtomicInteger();
    private Path directory;
    private Options options;
    private WriteOptions writeOptions;
    private RocksDB db;
    private byte[] value;
    private Statistics statistics;
    private boolean statisticsReset;

    /**
     * Opens a fresh database and settles the disk.
     *
     * @throws RocksDBException if RocksDB cannot open it
     */
    @Setup(Level.Trial)
    public void open(BenchmarkParams params) throws RocksDBException {
        RocksDB.loadLibrary();
        directory = TrialFiles.freshDirectory("rocksdb-" + (sync ? "sync" : "nosync"));
        options = new Options().setCreateIfMissing(true);
        if (sync && params.getMode() == Mode.SampleTime) {
            // Only in the latency trial, so that the throughput the ratios use is RocksDB's without statistics.
            statistics = new Statistics();
            options.setStatistics(statistics);
        }
        db = RocksDB.open(options, directory.toString());
        writeOptions = new WriteOptions().setSync(sync);
        value = new byte[recordBytes];
        new SplittableRandom(42).nextBytes(value);
        TrialFiles.settleDisk();
    }

    /**
     * One put.
     *
     * @param keys this thread's key sequence
     * @throws RocksDBException if the put fails
     */
    @Benchmark
    public void put(Keys keys) throws RocksDBException {
        db.put(writeOptions, keys.next(), value);
    }

    /**
     * Counts from the first measurement iteration on.
     *
     * @param iteration the iteration about to run
     * @throws RocksDBException if the statistics cannot be reset
     */
    @Setup(Level.Iteration)
    public void startIteration(IterationParams iteration) throws RocksDBException {
        if (statistics != null && iteration.getType() == IterationType.MEASUREMENT && !statisticsReset) {
            statistics.reset();
            statisticsReset = true;
        }
    }

    /**
     * Closes and deletes the database and, after a latency trial with {@code sync=true}, hands RocksDB's own
     * count of writes per WAL fsync and its mean fsync time to the report.
     *
     * @param params the trial's parameters, for the thread count
     */
    @TearDown(Level.Trial)
    public void close(BenchmarkParams params) {
        if (statistics != null) {
            long syncs = statistics.getTickerCount(TickerType.WAL_FILE_SYNCED);
            long writes = statistics.getTickerCount(TickerType.WRITE_WITH_WAL);
            if (syncs > 0) {
                Properties figures = new Properties();
                figures.setProperty("walSyncs", Long.toString(syncs));
                figures.setProperty("writesPerSync", Double.toString((double) writes / syncs));
                figures.setProperty("meanSyncMicros", String.format(Locale.ROOT, "%.1f",
                        statistics.getHistogramData(HistogramType.WAL_FILE_SYNC_MICROS).getAverage()));
                TrialFiles.writeSidecar(sidecarName(params.getThreads(), recordBytes), figures);
            }
            statistics.close();
        }
        db.close();
        writeOptions.close();
        options.close();
        TrialFiles.delete(directory);
    }

    static String sidecarName(int threads, int recordBytes) {
        return "rocksdb-wal-sync-" + threads + "t-" + recordBytes + "B.properties";
    }

    /** Keys unique across threads: the thread's number in the top bits, a counter below. */
    @State(Scope.Thread)
    public static class Keys {
        private final byte[] key = new byte[8];
        private long next;

        /**
         * Takes this thread's number.
         *
         * @param benchmark the benchmark state
         */
        @Setup(Level.Trial)
        public void number(RocksDbAppendBenchmark benchmark) {
            next = (long) benchmark.threadNumbers.getAndIncrement() << 40;
        }

        byte[] next() {
            long k = next++;
            for (int i = 7; i >= 0; i--) {
                key[i] = (byte) k;
                k >>>= 8;
            }
            return key;
        }
    }
}
