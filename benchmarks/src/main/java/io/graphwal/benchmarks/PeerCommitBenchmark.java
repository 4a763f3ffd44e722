package io.graphwal.benchmarks;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

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

import io.graphwal.benchmarks.PeerGraph.Engine;

/**
 * Durable commits side by side: each operation is one transaction creating two nodes with the label and two
 * properties each and a relationship between them, returning once durable (see {@link PeerGraph}), in a
 * fresh database per trial on a settled disk. The report runs it with 1 and 16 threads; concurrent commits
 * may share a log force, as each system allows.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 2, jvmArgsAppend = {"-Xmx2g",
        "--add-opens=java.base/java.nio=ALL-UNNAMED",
        "--add-opens=java.base/java.io=ALL-UNNAMED",
        "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
        "--add-opens=java.base/java.lang=ALL-UNNAMED",
        "--add-opens=java.base/java.nio.channels.spi=ALL-UNNAMED",
        "-Dpolyglot.engine.WarnInterpreterOnly=false",
        "-Dio.netty.tryReflectionSetAccessible=true"})
public class PeerCommitBenchmark {

    /** The system. */
    @Param({"GRAPHWAL", "NEO4J", "ARCADEDB"})
    public String system;

    private final AtomicLong next = new AtomicLong();
    private Path directory;
    private PeerGraph peer;

    /** Creates the database in a fresh directory and settles the disk. */
    @Setup(Level.Trial)
    public void open() {
        Engine engine = Engine.valueOf(system);
        directory = TrialFiles.freshDirectory("commit-" + engine.key());
        peer = PeerGraph.open(engine, directory);
        TrialFiles.settleDisk();
    }

    /** One durable transaction of two nodes and a relationship. */
    @Benchmark
    public void commit() {
        long number = next.getAndAdd(2);
        peer.commitPair(number, "c" + number);
    }

    /** Closes and deletes the database. */
    @TearDown(Level.Trial)
    public void close() {
        peer.close();
        TrialFiles.delete(directory);
    }
}
