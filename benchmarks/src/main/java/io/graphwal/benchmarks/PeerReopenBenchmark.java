package io.graphwal.benchmarks;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import io.graphwal.benchmarks.PeerGraph.Engine;

/**
 * Crash and reopen: the time from opening a copy of a system's {@link PeerImages crash image} (a database
 * whose JVM halted right after loading the graph, without closing) until the first query, a lookup by name,
 * answers. One measurement per fork and no warmup, so every sample is a restart in a new JVM that has not
 * loaded the system's classes yet, as after a real crash. The copy is made and the disk settled before the
 * fork's only invocation; the copy's files are then in the page cache for every system alike.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 5, jvmArgsAppend = {"-Xmx6g",
        "--add-opens=java.base/java.nio=ALL-UNNAMED",
        "--add-opens=java.base/java.io=ALL-UNNAMED",
        "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
        "--add-opens=java.base/java.lang=ALL-UNNAMED",
        "--add-opens=java.base/java.nio.channels.spi=ALL-UNNAMED",
        "-Dpolyglot.engine.WarnInterpreterOnly=false",
        "-Dio.netty.tryReflectionSetAccessible=true"})
@Warmup(iterations = 0)
@Measurement(iterations = 1)
public class PeerReopenBenchmark {

    /** The system. */
    @Param({"GRAPHWAL", "NEO4J", "ARCADEDB"})
    public String system;

    /** Nodes in the graph. */
    @Param("1000000")
    public int nodes;

    /** Relationships in the graph. */
    @Param("5000000")
    public int relationships;

    private Engine engine;
    private Path directory;
    private PeerGraph peer;
    private String firstName;

    /** Copies the crash image into a fresh directory and settles the disk. */
    @Setup(Level.Trial)
    public void copy() {
        engine = Engine.valueOf(system);
        directory = PeerImages.copy(PeerImages.ensure(engine, nodes, relationships), "reopen-" + engine.key());
        firstName = GeneratedGraph.generate(nodes, 0, GeneratedGraph.SEED).name(nodes / 2);
        TrialFiles.settleDisk();
    }

    /**
     * Reopens the crashed database and asks it one question.
     *
     * @return the answer, which must be 1
     */
    @Benchmark
    public long reopen() {
        peer = PeerGraph.open(engine, directory);
        return peer.lookup(firstName);
    }

    /** Closes and deletes the copy. */
    @TearDown(Level.Trial)
    public void close() {
        if (peer != null) {
            peer.close();
        }
        TrialFiles.delete(directory);
    }
}
