package io.graphwal.benchmarks;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

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

import io.graphwal.wal.LogWriter;
import io.graphwal.wal.SyncMode;
import io.graphwal.wal.WalConfig;
import io.graphwal.wal.WalListener;

/**
 * GraphWAL's log alone: {@code LogWriter.append} of one record of {@link #recordBytes} payload bytes per
 * operation, in a fresh log per trial. In {@code PER_COMMIT} each append returns once its record is fsynced,
 * so with several threads (the report runs 1, 4 and 16) concurrent appenders share fsyncs; in {@code GROUP}
 * and {@code NONE} it returns once the record is written to the operating system.
 *
 * <p>During measurement iterations a {@link WalListener} counts fsyncs, their time, the records they made
 * durable and the on-disk size of each record; at the end of the trial these go to a sidecar file
 * ({@code fsync-batch-MODE-Tt-SB-jmhmode.properties}) from which the report sizes {@link RawFloorBenchmark}'s
 * batches.
 * The counters are updated by the appending and flushing threads and read only after the trial, when those
 * threads are done.
 */
@State(Scope.Benchmark)
@BenchmarkMode({Mode.Throughput, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(2)
public class GraphWalAppendBenchmark {

    static final byte RECORD_TYPE = 7;

    /** The log's sync mode. */
    @Param({"PER_COMMIT", "GROUP", "NONE"})
    public String syncMode;

    /** Payload bytes per record. */
    @Param({"64", "256", "4096"})
    public int recordBytes;

    private final LongAdder fsyncs = new LongAdder();
    private final LongAdder syncedRecords = new LongAdder();
    private final LongAdder fsyncNanos = new LongAdder();
    private final LongAdder appendedRecords = new LongAdder();
    private final LongAdder appendedBytes = new LongAdder();
    private volatile boolean counting;
    private Path directory;
    private LogWriter wal;
    byte[] payload;

    /** Opens a fresh log and settles the disk. */
    @Setup(Level.Trial)
    public void open() {
        directory = TrialFiles.freshDirectory("graphwal-" + syncMode.toLowerCase(Locale.ROOT));
        payload = new byte[recordBytes];
        new SplittableRandom(42).nextBytes(payload);
        wal = LogWriter.open(WalConfig.builder(directory)
                .syncMode(SyncMode.valueOf(syncMode))
                .listener(new Counter())
                .build());
        TrialFiles.settleDisk();
    }

    /**
     * Counts only during measurement iterations.
     *
     * @param iteration the iteration about to run
     */
    @Setup(Level.Iteration)
    public void startIteration(IterationParams iteration) {
        counting = iteration.getType() == IterationType.MEASUREMENT;
    }

    /**
     * One record.
     *
     * @param buffer this thread's payload buffer
     * @return the record's LSN
     */
    @Benchmark
    public long append(PayloadBuffer buffer) {
        return wal.append(RECORD_TYPE, buffer.rewound());
    }

    /**
     * Closes and deletes the log and hands the fsync batch figures to the report.
     *
     * @param params the trial's parameters, for the thread count
     */
    @TearDown(Level.Trial)
    public void close(BenchmarkParams params) {
        counting = false;
        wal.close();
        TrialFiles.delete(directory);
        long syncs = fsyncs.sum();
        long records = appendedRecords.sum();
        if (syncs > 0 && records > 0) {
            double recordsPerFsync = (double) syncedRecords.sum() / syncs;
            double bytesPerRecord = (double) appendedBytes.sum() / records;
            Properties figures = new Properties();
            figures.setProperty("fsyncs", Long.toString(syncs));
            figures.setProperty("recordsPerFsync", Double.toString(recordsPerFsync));
            figures.setProperty("bytesPerRecord", Double.toString(bytesPerRecord));
            figures.setProperty("bytesPerFsync", Long.toString(Math.round(recordsPerFsync * bytesPerRecord)));
            figures.setProperty("meanFsyncMicros", String.format(Locale.ROOT, "%.1f", fsyncNanos.sum() / 1e3 / syncs));
            TrialFiles.writeSidecar(sidecarName(syncMode, params.getThreads(), recordBytes, params.getMode()), figures);
        }
    }

    /** The sidecar of one trial; per JMH mode, as the floor is sized from the throughput-mode trial's. */
    static String sidecarName(String mode, int threads, int recordBytes, Mode benchmarkMode) {
        return "fsync-batch-" + mode + "-" + threads + "t-" + recordBytes + "B-" + benchmarkMode.shortLabel()
                + ".properties";
    }

    /** Each thread's own view of the payload, rewound before every append. */
    @State(Scope.Thread)
    public static class PayloadBuffer {
        private ByteBuffer buffer;

        /**
         * Wraps the benchmark's payload.
         *
         * @param benchmark the benchmark state
         */
        @Setup(Level.Trial)
        public void wrap(GraphWalAppendBenchmark benchmark) {
            buffer = ByteBuffer.wrap(benchmark.payload);
        }

        ByteBuffer rewound() {
            buffer.clear();
            return buffer;
        }
    }

    private final class Counter implements WalListener {
        @Override
        public void appended(long lsn, int bytes) {
            if (counting) {
                appendedRecords.increment();
                appendedBytes.add(bytes);
            }
        }

        @Override
        public void synced(long durationNanos, long records) {
            if (counting) {
                fsyncs.increment();
                syncedRecords.add(records);
                fsyncNanos.add(durationNanos);
            }
        }
    }
}
