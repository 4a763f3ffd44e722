package io.graphwal.benchmarks;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

import io.graphwal.replay.DatabaseConfig;
import io.graphwal.replay.GraphDatabase;
import io.graphwal.wal.SyncMode;
import io.graphwal.wal.WalConfig;

/**
 * Commit latency while checkpoints run: a database holding a generated graph of {@link #nodes} nodes and
 * {@link #relationships} relationships, in the default {@code group} mode (so a commit waits for no fsync and
 * what it measures is the checkpoint's hold on writers), one thread committing small transactions (a node
 * with two properties and a relationship to an existing node), and a second thread running checkpoints back
 * to back for the whole of every iteration. The samples' p99.9 is the stall.
 *
 * <p>The checkpoint thread ({@code bench-checkpoint-loop}, a daemon) is started at the beginning of each
 * iteration and stopped and joined at its end; the number of checkpoints completed during measurement
 * iterations goes to the sidecar file {@code checkpoint-stall.properties}, so the report can show that the
 * commits really overlapped checkpoints.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Threads(1)
@Fork(value = 2, jvmArgsAppend = {"-Xmx6g"})
@Warmup(iterations = 1, time = 10)
@Measurement(iterations = 5, time = 10)
public class CheckpointStallBenchmark {

    private static final List<String> LABELS = List.of(GeneratedGraph.LABEL);

    /** Nodes in the graph. */
    @Param("1000000")
    public int nodes;

    /** Relationships in the graph. */
    @Param("5000000")
    public int relationships;

    private final AtomicLong measuredCheckpoints = new AtomicLong();
    private Path directory;
    private GraphDatabase db;
    private long anchor;
    private long sequence;
    private volatile boolean checkpointing;
    private volatile boolean countCheckpoints;
    private volatile RuntimeException checkpointFailure;
    private Thread checkpointLoop;

    /** Builds the graph. */
    @Setup(Level.Trial)
    public void build() {
        directory = TrialFiles.freshDirectory("checkpoint-stall");
        db = GraphDatabase.open(new DatabaseConfig(WalConfig.builder(directory).syncMode(SyncMode.GROUP).build(),
                0, 1));
        GeneratedGraph graph = GeneratedGraph.generate(nodes, relationships, GeneratedGraph.SEED);
        long[] ids = GraphLoaders.loadNodes(graph, db, 10_000);
        GraphLoaders.loadRelationships(graph, db, ids, 10_000);
        anchor = ids[0];
        db.wal().flush();
        TrialFiles.settleDisk();
    }

    /**
     * Starts checkpointing back to back.
     *
     * @param iteration the iteration about to run
     */
    @Setup(Level.Iteration)
    public void startCheckpoints(IterationParams iteration) {
        countCheckpoints = iteration.getType() == IterationType.MEASUREMENT;
        checkpointing = true;
        checkpointLoop = new Thread(this::checkpointUntilStopped, "bench-checkpoint-loop");
        checkpointLoop.setDaemon(true);
        checkpointLoop.start();
    }

    private void checkpointUntilStopped() {
        try {
            while (checkpointing) {
                db.checkpoint();
                if (countCheckpoints) {
                    measuredCheckpoints.incrementAndGet();
                }
            }
        } catch (RuntimeException e) {
            checkpointFailure = e;
        }
    }

    /**
     * One small transaction.
     *
     * @return its LSN
     */
    @Benchmark
    public long commit() {
        long n = sequence++;
        return db.commit(tx -> {
            long node = tx.createNode(LABELS, Map.of(GeneratedGraph.NUMBER_KEY, n, GeneratedGraph.NAME_KEY, "new"));
            return tx.createRelationship(node, anchor, GeneratedGraph.TYPES[0], Map.of());
        }).lsn();
    }

    /**
     * Stops and joins the checkpoint thread.
     *
     * @throws InterruptedException if interrupted while joining
     */
    @TearDown(Level.Iteration)
    public void stopCheckpoints() throws InterruptedException {
        checkpointing = false;
        checkpointLoop.join();
        if (checkpointFailure != null) {
            throw new IllegalStateException("A checkpoint failed during the benchmark", checkpointFailure);
        }
    }

    /** Closes and deletes the database and reports the checkpoints completed. */
    @TearDown(Level.Trial)
    public void close() {
        db.close();
        TrialFiles.delete(directory);
        Properties figures = new Properties();
        figures.setProperty("checkpoints", Long.toString(measuredCheckpoints.get()));
        TrialFiles.writeSidecar("checkpoint-stall.properties", figures);
    }
}
