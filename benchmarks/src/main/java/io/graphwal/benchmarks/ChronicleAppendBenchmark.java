package io.graphwal.benchmarks;

import java.nio.file.Path;
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

import net.openhft.chronicle.bytes.BytesStore;
import net.openhft.chronicle.bytes.SyncMode;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;

/**
 * Chronicle Queue as the peer for non-durable appends: one excerpt of {@link #recordBytes} bytes per
 * operation from one writer, into a fresh queue per trial (Chronicle memory-maps and preallocates its
 * files). {@code NONE} leaves writing back to the operating system, as GraphWAL's {@code none} mode does;
 * {@code SYNC} is Chronicle's own synchronous mode.
 *
 * <p>Chronicle reaches into JDK internals, so its forks need the {@code --add-opens}/{@code --add-exports}
 * flags on this class's {@code @Fork} annotation, which apply however it is run, and its usage analytics
 * are turned off there too.
 */
@State(Scope.Benchmark)
@BenchmarkMode({Mode.Throughput, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Threads(1)
@Fork(value = 2, jvmArgsAppend = {
        "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED",
        "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED",
        "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED",
        "--add-exports=jdk.unsupported/sun.misc=ALL-UNNAMED",
        "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
        "--add-opens=jdk.compiler/com.sun.tools.javac=ALL-UNNAMED",
        "--add-opens=java.base/java.lang=ALL-UNNAMED",
        "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
        "--add-opens=java.base/java.io=ALL-UNNAMED",
        "--add-opens=java.base/java.nio=ALL-UNNAMED",
        "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
        "--add-opens=java.base/java.util=ALL-UNNAMED",
        "-Dchronicle.analytics.disable=true"})
public class ChronicleAppendBenchmark {

    /** Chronicle's sync mode. */
    @Param({"NONE", "SYNC"})
    public String syncMode;

    /** Bytes per excerpt. */
    @Param({"64", "256", "4096"})
    public int recordBytes;

    private Path directory;
    private SingleChronicleQueue queue;
    private ExcerptAppender appender;
    private BytesStore<?, ?> excerpt;

    /** Opens a fresh queue and settles the disk. */
    @Setup(Level.Trial)
    public void open() {
        directory = TrialFiles.freshDirectory("chronicle-" + syncMode.toLowerCase(java.util.Locale.ROOT));
        queue = SingleChronicleQueueBuilder.binary(directory).syncMode(SyncMode.valueOf(syncMode)).build();
        // The single benchmark thread is the one that set up this Benchmark-scoped state: JMH runs trial
        // setup on a worker thread, and Chronicle wants an appender used by the thread that created it.
        appender = queue.createAppender();
        byte[] content = new byte[recordBytes];
        new SplittableRandom(42).nextBytes(content);
        excerpt = BytesStore.wrap(content);
        TrialFiles.settleDisk();
    }

    /** One excerpt. */
    @Benchmark
    public void append() {
        appender.writeBytes(excerpt);
    }

    /** Closes and deletes the queue. */
    @TearDown(Level.Trial)
    public void close() {
        appender.close();
        queue.close();
        TrialFiles.delete(directory);
    }
}
