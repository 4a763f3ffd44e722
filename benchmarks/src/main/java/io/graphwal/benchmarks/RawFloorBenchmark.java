package io.graphwal.benchmarks;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

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
import org.openjdk.jmh.annotations.Threads;

/**
 * The physical limit of a durable append on this disk: one thread writing {@link #bytesPerFsync} bytes with a
 * single positional {@code FileChannel.write} and then calling {@code force(false)}, in a loop, into a file
 * that was preallocated with zeros (and fsynced) before the trial, wrapping to its start when full. Nothing
 * a log can do makes a durable append cheaper than this.
 *
 * <p><b>Why a measured batch size.</b> With many writer threads GraphWAL's {@code per-commit} mode shares one
 * fsync among every record that arrived while the previous fsync ran, so an fsync carries a batch of records,
 * not one. An fsync's cost depends on how many bytes (pages) it flushes, so a floor of one record per fsync
 * would be the wrong limit for 16 threads, and a floor writing an arbitrary large batch a meaningless one.
 * The report therefore first runs GraphWAL, which records the mean number of on-disk bytes per fsync
 * ({@code WalListener.synced} gives records per fsync, {@code WalListener.appended} each record's size with
 * its header), and then runs this floor with exactly that many bytes per fsync. Its rate in records per
 * second is fsyncs per second times GraphWAL's mean records per fsync. The floor writes from one thread
 * because a single sequential writer is the cheapest way to issue those writes; threads add only
 * coordination.
 *
 * <p>Mode is throughput: the floor only feeds rates, so its latencies are not sampled.
 *
 * <p>With {@code -p file=growing} the file starts empty and every write extends it, as a log that does not
 * preallocate would: the difference between the two is what GraphWAL's per-commit preallocation buys.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Threads(1)
@Fork(2)
public class RawFloorBenchmark {

    /** Size of the preallocated file; writes wrap around inside it. */
    static final long FILE_BYTES = 64L * 1024 * 1024;

    /** Bytes written and fsynced per operation: GraphWAL's measured bytes per fsync, passed in by the report. */
    @Param("277")
    public int bytesPerFsync;

    /** {@code preallocated} (the floor) or {@code growing} (no preallocation, for comparison). */
    @Param("preallocated")
    public String file;

    private Path directory;
    private FileChannel channel;
    private ByteBuffer batch;
    private long position;

    /**
     * Preallocates the file with zeros, fsyncs it, then settles the disk.
     *
     * @throws IOException if the file cannot be written
     */
    @Setup(Level.Trial)
    public void preallocate() throws IOException {
        directory = TrialFiles.freshDirectory("floor");
        channel = FileChannel.open(directory.resolve("floor.dat"), StandardOpenOption.CREATE_NEW,
                StandardOpenOption.READ, StandardOpenOption.WRITE);
        ByteBuffer zeros = ByteBuffer.allocateDirect(1024 * 1024);
        if (!"growing".equals(file) && !"preallocated".equals(file)) {
            throw new IllegalArgumentException("file must be 'preallocated' or 'growing', was '" + file + "'");
        }
        long preallocate = "growing".equals(file) ? 0 : FILE_BYTES;
        for (long offset = 0; offset < preallocate; offset += zeros.capacity()) {
            zeros.clear();
            while (zeros.hasRemaining()) {
                channel.write(zeros, offset + zeros.position());
            }
        }
        channel.force(true);
        byte[] content = new byte[bytesPerFsync];
        new SplittableRandom(42).nextBytes(content);
        batch = ByteBuffer.allocateDirect(bytesPerFsync);
        batch.put(content).flip();
        position = 0;
        TrialFiles.settleDisk();
    }

    /**
     * One batch: write it, fsync the data.
     *
     * @return the offset written, so the work cannot be optimised away
     * @throws IOException if the write or fsync fails
     */
    @Benchmark
    public long writeAndForce() throws IOException {
        if (position + bytesPerFsync > FILE_BYTES) {
            position = 0;
        }
        long offset = position;
        batch.clear();
        while (batch.hasRemaining()) {
            channel.write(batch, offset + batch.position());
        }
        channel.force(false);
        position = offset + bytesPerFsync;
        return offset;
    }

    /**
     * Closes and deletes the file.
     *
     * @throws IOException if the close fails
     */
    @TearDown(Level.Trial)
    public void delete() throws IOException {
        channel.close();
        TrialFiles.delete(directory);
    }
}
