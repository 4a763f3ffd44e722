package io.graphwal.benchmarks;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.apache.tinkerpop.gremlin.structure.io.gryo.GryoIo;
import org.apache.tinkerpop.gremlin.tinkergraph.structure.TinkerGraph;
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

/**
 * TinkerGraph's counterpart of {@link SnapshotLoadBenchmark}: the same generated graph, written once per
 * trial to TinkerPop's own binary format (gryo), then read into a new TinkerGraph per invocation. Gryo's
 * serializers reflect into JDK classes, so the fork opens the packages TinkerPop documents for Java 17.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 2, jvmArgsAppend = {"-Xmx12g",
        "--add-opens=java.base/java.io=ALL-UNNAMED",
        "--add-opens=java.base/java.nio=ALL-UNNAMED",
        "--add-opens=java.base/sun.nio.cs=ALL-UNNAMED",
        "--add-opens=java.base/java.lang=ALL-UNNAMED",
        "--add-opens=java.base/java.lang.invoke=ALL-UNNAMED",
        "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
        "--add-opens=java.base/java.util=ALL-UNNAMED",
        "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
        "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
        "--add-opens=java.base/java.net=ALL-UNNAMED"})
@Warmup(iterations = 1)
@Measurement(iterations = 3)
public class TinkerGraphLoadBenchmark {

    /** Nodes in the graph. */
    @Param("1000000")
    public int nodes;

    /** Relationships in the graph. */
    @Param("5000000")
    public int relationships;

    private Path directory;
    private String file;
    private TinkerGraph loaded;

    /**
     * Builds the graph in memory and writes it as gryo.
     *
     * @throws IOException if the file cannot be written
     */
    @Setup(Level.Trial)
    public void writeGryo() throws IOException {
        directory = TrialFiles.freshDirectory("tinkergraph");
        file = directory.resolve("graph.kryo").toString();
        try (TinkerGraph tinker = GraphLoaders.toTinkerGraph(
                GeneratedGraph.generate(nodes, relationships, GeneratedGraph.SEED))) {
            tinker.io(GryoIo.build()).writeGraph(file);
        } catch (Exception e) {
            throw new IOException("Cannot write the gryo file " + file, e);
        }
    }

    /**
     * Reads the file into a new TinkerGraph.
     *
     * @return the graph, so the work cannot be optimised away
     * @throws IOException if the file cannot be read
     */
    @Benchmark
    public TinkerGraph load() throws IOException {
        loaded = TinkerGraph.open();
        loaded.io(GryoIo.build()).readGraph(file);
        return loaded;
    }

    /** Drops the graph loaded by the invocation. */
    @TearDown(Level.Invocation)
    public void closeLoaded() {
        if (loaded != null) {
            loaded.close();
            loaded = null;
        }
    }

    /** Deletes the file. */
    @TearDown(Level.Trial)
    public void delete() {
        TrialFiles.delete(directory);
    }
}
