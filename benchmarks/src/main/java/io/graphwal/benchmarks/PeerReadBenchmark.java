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
import org.openjdk.jmh.infra.ThreadParams;

import io.graphwal.benchmarks.PeerGraph.Engine;

/**
 * Reads side by side on the generated graph, each from uniformly drawn nodes: the outgoing relationships of
 * one node counted by walking them (1-hop), the same for every node at their ends (2-hop), and a lookup of a
 * node by label and name through each system's index. Each trial opens a fresh copy of the system's
 * {@link PeerImages crash image} as one restart recovered it (recovery is timed by
 * {@link PeerReopenBenchmark}, not here), and its warmup iterations bring the graph into each system's
 * caches.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 2, jvmArgsAppend = {"-Xmx6g",
        "--add-opens=java.base/java.nio=ALL-UNNAMED",
        "--add-opens=java.base/java.io=ALL-UNNAMED",
        "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
        "--add-opens=java.base/java.lang=ALL-UNNAMED",
        "--add-opens=java.base/java.nio.channels.spi=ALL-UNNAMED",
        "-Dpolyglot.engine.WarnInterpreterOnly=false",
        "-Dio.netty.tryReflectionSetAccessible=true"})
public class PeerReadBenchmark {

    /** The system. */
    @Param({"GRAPHWAL", "NEO4J", "ARCADEDB"})
    public String system;

    /** Nodes in the graph. */
    @Param("1000000")
    public int nodes;

    /** Relationships in the graph. */
    @Param("5000000")
    public int relationships;

    private Path directory;
    private PeerGraph peer;
    private GeneratedGraph graph;

    /** Opens a fresh copy of the system's image. */
    @Setup(Level.Trial)
    public void open() {
        Engine engine = Engine.valueOf(system);
        Path image = PeerImages.ensure(engine, nodes, relationships);
        // Names only: the lookups draw a node number and ask for its name.
        graph = GeneratedGraph.generate(nodes, 0, GeneratedGraph.SEED);
        directory = PeerImages.copy(PeerImages.recovered(image, engine), "read-" + engine.key());
        peer = PeerGraph.open(engine, directory);
        peer.useIds(PeerImages.ids(image));
        peer.settle();
    }

    /**
     * @param pick this thread's random node
     * @return the count
     */
    @Benchmark
    public long oneHop(Pick pick) {
        return peer.oneHop(pick.next());
    }

    /**
     * @param pick this thread's random node
     * @return the count
     */
    @Benchmark
    public long twoHop(Pick pick) {
        return peer.twoHop(pick.next());
    }

    /**
     * @param pick this thread's random node
     * @return the count
     */
    @Benchmark
    public long lookup(Pick pick) {
        return peer.lookup(graph.name(pick.next()));
    }

    /** Closes and deletes the copy. */
    @TearDown(Level.Trial)
    public void close() {
        peer.close();
        TrialFiles.delete(directory);
    }

    /** Each thread's own stream of node numbers, seeded by its index so every system draws the same ones. */
    @State(Scope.Thread)
    public static class Pick {
        private SplittableRandom random;
        private int nodes;

        /**
         * @param benchmark the benchmark, for its node count
         * @param thread this thread's index
         */
        @Setup(Level.Trial)
        public void seed(PeerReadBenchmark benchmark, ThreadParams thread) {
            random = new SplittableRandom(GeneratedGraph.SEED + thread.getThreadIndex());
            nodes = benchmark.nodes;
        }

        int next() {
            return random.nextInt(nodes);
        }
    }
}
