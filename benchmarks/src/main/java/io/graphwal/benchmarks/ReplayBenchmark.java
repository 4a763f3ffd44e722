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
 * Replay from the page cache: opening a database whose directory holds no snapshot and a log of
 * {@link #mutations} mutations (a generated graph with five relationships per node, committed in
 * transactions of {@link #mutationsPerTransaction} mutations), so the open verifies every segment and record
 * checksum and decodes and applies every mutation. The log is written once per trial; the warmup opens read
 * it into the page cache, so measured opens read no disk. The rate is {@link #mutations} divided by the
 * single-shot time.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 2, jvmArgsAppend = {"-Xmx4g"})
@Warmup(iterations = 2)
@Measurement(iterations = 5)
public class ReplayBenchmark extends DatabaseOpenState {

    /** Mutations in the log. */
    @Param("2000000")
    public int mutations;

    /** Mutations per logged transaction. */
    @Param("100")
    public int mutationsPerTransaction;

    /** Writes the log. */
    @Setup(Level.Trial)
    public void writeLog() {
        prepare("replay", 2);
        int nodes = Math.max(1, mutations / 6);
        GeneratedGraph graph = GeneratedGraph.generate(nodes, mutations - nodes, GeneratedGraph.SEED);
        try (GraphDatabase db = GraphDatabase.open(config)) {
            GraphLoaders.load(graph, db, mutationsPerTransaction);
        }
    }

    /**
     * Opens the database, which replays the whole log.
     *
     * @return the relationships replayed, so the work cannot be optimised away
     */
    @Benchmark
    public long replay() {
        return open();
    }
}
