package io.graphwal.benchmarks;

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
import org.openjdk.jmh.annotations.Warmup;

import io.graphwal.replay.GraphDatabase;

/**
 * Snapshot load: opening a database whose directory holds one snapshot of a generated graph of
 * {@link #nodes} nodes and {@link #relationships} relationships and an empty log after it. Setup commits the
 * graph in transactions of 10,000 mutations in {@code none} mode, checkpoints (which purges the log behind
 * the snapshot) and closes. The snapshot file is in the page cache after the warmup opens, as TinkerGraph's
 * file is in {@link TinkerGraphLoadBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 2, jvmArgsAppend = {"-Xmx6g"})
@Warmup(iterations = 2)
@Measurement(iterations = 5)
public class SnapshotLoadBenchmark extends DatabaseOpenState {

    /** Nodes in the graph. */
    @Param("1000000")
    public int nodes;

    /** Relationships in the graph. */
    @Param("5000000")
    public int relationships;

    /** Builds the graph and writes its snapshot. */
    @Setup(Level.Trial)
    public void writeSnapshot() {
        prepare("snapshot", 1);
        GeneratedGraph graph = GeneratedGraph.generate(nodes, relationships, GeneratedGraph.SEED);
        try (GraphDatabase db = GraphDatabase.open(config)) {
            GraphLoaders.load(graph, db, 10_000);
            db.checkpoint();
        }
    }

    /**
     * Opens the database, which loads the snapshot.
     *
     * @return the relationships loaded, so the work cannot be optimised away
     */
    @Benchmark
    public long load() {
        return open();
    }
}
