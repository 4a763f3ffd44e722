package io.graphwal.benchmarks;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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

import io.graphwal.graph.GraphLimits;
import io.graphwal.graph.Transaction;
import io.graphwal.replay.DatabaseConfig;
import io.graphwal.replay.GraphDatabase;
import io.graphwal.wal.SyncMode;
import io.graphwal.wal.WalConfig;

/**
 * Committing and replaying large transactions (issue 13: applying a transaction must cost time linear in its
 * size). Each {@link Shape} is one kind of large transaction, sized at a fraction of the limit that bounds it
 * ({@link #fractionOfLimit}: 1 is the limit itself), so a cost per mutation that stays flat from the smallest
 * size to the limit shows linear work, and one that grows with the size shows super-linear work.
 *
 * <p>Every single shot does the same amount of work whatever the size: about {@link #mutationsPerShot}
 * mutations, in as many transactions of the shape's size as that takes ({@link Workload}), so sizes are
 * compared at equal total work and equal heap growth, and a fixed cost per shot (opening the database, for
 * replay) weighs the same at every size. The report divides the median shot's time by
 * {@link Workload#mutations()}.
 *
 * <ul>
 *   <li>{@code commit}: {@link GraphDatabase#commit} of the shot's transactions into a database opened, in
 *       {@code none} mode (so no fsync is timed) and with automatic checkpoints off, in a fresh directory
 *       before each shot; anything a shape needs to exist beforehand is committed then, untimed.</li>
 *   <li>{@code replay}: {@link GraphDatabase#open} of a directory holding no snapshot and the log of those
 *       transactions (written once per trial), as {@link ReplayBenchmark} does, so the open verifies, decodes
 *       and applies every record; the warmup opens read the log into the page cache. The endpoints of
 *       {@link Shape#RELATIONSHIPS} (one transaction of 1,000 small nodes, 1% of the shot) are replayed too
 *       and are not counted as the shot's mutations.</li>
 * </ul>
 *
 * <p>The heap is fixed and touched at start ({@code -Xms} equal to {@code -Xmx}, {@code -XX:+AlwaysPreTouch}):
 * a shot of one large transaction holds more live memory than a shot of small ones, so with a growing heap
 * it was the larger one that met pages the JVM had never touched. On a virtual machine that hands free pages
 * back to its host, first touches took 63% of a 100,000-node transaction's commit (kernel page clearing, in a
 * perf profile), which says nothing about the engine.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch"})
@Warmup(iterations = 5)
@Measurement(iterations = 10)
public class LargeTransactionBenchmark {

    /** Which kind of large transaction: a {@link Shape} name in lower case. */
    @Param({"labels", "properties", "relationships", "nodes"})
    public String shape;

    /** The transaction's size as a fraction of its shape's limit (1: at the limit). */
    @Param({"0.01", "0.1", "1"})
    public double fractionOfLimit;

    /** About how many mutations each shot commits or replays, in transactions of the shape's size. */
    @Param("100000")
    public int mutationsPerShot;

    private Workload workload;

    /** Works out the shot's transactions. */
    @Setup(Level.Trial)
    public void plan() {
        workload = Workload.of(Shape.named(shape), fractionOfLimit, mutationsPerShot);
    }

    /**
     * Commits the shot's transactions.
     *
     * @param state a freshly opened database
     * @return the last transaction's LSN, so the work cannot be optimised away
     */
    @Benchmark
    public long commit(Committing state) {
        long lsn = 0;
        for (int i = 0; i < workload.transactions(); i++) {
            lsn = state.db.commit(tx -> {
                workload.shape().write(tx, workload.size(), state.endpoints);
                return null;
            }).lsn();
        }
        return lsn;
    }

    /**
     * Opens the database, which replays the shot's transactions.
     *
     * @param state the trial's directory
     * @return the relationships replayed, so the work cannot be optimised away
     */
    @Benchmark
    public long replay(Replaying state) {
        return state.open();
    }

    /**
     * The kinds of large transaction, each pushing one dimension that {@link GraphLimits} bounds.
     */
    public enum Shape {
        /** A new node, then {@code addLabel} once per label, up to the labels a node can have. */
        LABELS(GraphLimits.MAX_LABELS_PER_NODE, 1, 0),
        /** A new node, then {@code setNodeProperty} once per property, up to the properties an entity can have. */
        PROPERTIES(GraphLimits.MAX_PROPERTIES_PER_ENTITY, 1, 0),
        /** Relationships between nodes committed before, up to the mutations a transaction can hold. */
        RELATIONSHIPS(GraphLimits.MAX_MUTATIONS_PER_TRANSACTION, 0, 1000),
        /** Small nodes (one label, one property), up to the mutations a transaction can hold. */
        NODES(GraphLimits.MAX_MUTATIONS_PER_TRANSACTION, 0, 0);

        private static final String TYPE = "LINK";
        private static final List<String> NODE_LABELS = List.of(GeneratedGraph.LABEL);
        private static final String[] NAMES = new String[GraphLimits.MAX_PROPERTIES_PER_ENTITY];

        static {
            for (int i = 0; i < NAMES.length; i++) {
                NAMES[i] = "n" + i;
            }
        }

        private final int limit;
        private final int extraMutations;
        private final int endpoints;

        Shape(int limit, int extraMutations, int endpoints) {
            this.limit = limit;
            this.extraMutations = extraMutations;
            this.endpoints = endpoints;
        }

        /**
         * The shape of a name as the benchmark's parameter spells it.
         *
         * @param name for example {@code labels}
         * @return the shape
         */
        public static Shape named(String name) {
            return valueOf(name.toUpperCase(Locale.ROOT));
        }

        /** @return the limit that bounds the shape's size */
        public int limit() {
            return limit;
        }

        /**
         * @param size the shape's size (labels, properties, relationships or nodes)
         * @return the mutations one transaction of that size holds (the new node counts for labels and
         *     properties)
         */
        public int mutationsPerTransaction(int size) {
            return size + extraMutations;
        }

        /** @return how many nodes must exist before the shape's transactions: their endpoints */
        public int endpoints() {
            return endpoints;
        }

        /**
         * Writes one transaction of this shape.
         *
         * @param tx the transaction
         * @param size its size
         * @param endpointIds the nodes committed beforehand, {@link #endpoints()} of them
         */
        void write(Transaction tx, int size, long[] endpointIds) {
            switch (this) {
                case LABELS -> {
                    long node = tx.createNode(List.of(), Map.of());
                    for (int i = 0; i < size; i++) {
                        tx.addLabel(node, NAMES[i]);
                    }
                }
                case PROPERTIES -> {
                    long node = tx.createNode(List.of(), Map.of());
                    for (int i = 0; i < size; i++) {
                        tx.setNodeProperty(node, NAMES[i], (long) i);
                    }
                }
                case RELATIONSHIPS -> {
                    int n = endpointIds.length;
                    // Spread over every pair of offsets so no endpoint collects most of the relationships.
                    for (int i = 0; i < size; i++) {
                        tx.createRelationship(endpointIds[i % n], endpointIds[(i / n + i + 1) % n], TYPE, Map.of());
                    }
                }
                case NODES -> {
                    for (int i = 0; i < size; i++) {
                        tx.createNode(NODE_LABELS, Map.of(GeneratedGraph.NUMBER_KEY, (long) i));
                    }
                }
                default -> throw new AssertionError(this);
            }
        }

        /**
         * Commits the nodes this shape's transactions need to exist.
         *
         * @param db the database
         * @return their ids
         */
        long[] commitEndpoints(GraphDatabase db) {
            long[] ids = new long[endpoints];
            if (endpoints > 0) {
                db.commit(tx -> {
                    for (int i = 0; i < ids.length; i++) {
                        ids[i] = tx.createNode(NODE_LABELS, Map.of());
                    }
                    return null;
                });
            }
            return ids;
        }
    }

    /**
     * What one shot does: {@code transactions} transactions of {@code size}, at least {@code mutationsPerShot}
     * mutations in all.
     *
     * @param shape the kind of transaction
     * @param size labels, properties, relationships or nodes per transaction
     * @param transactions transactions per shot
     */
    public record Workload(Shape shape, int size, int transactions) {

        /**
         * The workload of one benchmark configuration.
         *
         * @param shape the kind of transaction
         * @param fractionOfLimit its size as a fraction of the shape's limit
         * @param mutationsPerShot the least number of mutations a shot holds
         * @return the workload
         * @throws IllegalArgumentException if the fraction is not in (0, 1]
         */
        public static Workload of(Shape shape, double fractionOfLimit, int mutationsPerShot) {
            if (!(fractionOfLimit > 0 && fractionOfLimit <= 1)) {
                throw new IllegalArgumentException("fractionOfLimit must be in (0, 1], not " + fractionOfLimit);
            }
            int size = Math.max(1, (int) Math.round(shape.limit() * fractionOfLimit));
            int perTransaction = shape.mutationsPerTransaction(size);
            int transactions = Math.max(1, (mutationsPerShot + perTransaction - 1) / perTransaction);
            return new Workload(shape, size, transactions);
        }

        /** @return the mutations one shot commits or replays (the endpoints committed beforehand excluded) */
        public long mutations() {
            return (long) transactions * shape.mutationsPerTransaction(size);
        }
    }

    /** A database in a fresh directory for each shot, holding only what the shape needs beforehand. */
    @State(Scope.Benchmark)
    public static class Committing {
        private Path directory;
        GraphDatabase db;
        long[] endpoints;

        /**
         * Opens the database and commits the endpoints.
         *
         * @param benchmark the configuration
         */
        @Setup(Level.Iteration)
        public void open(LargeTransactionBenchmark benchmark) {
            directory = TrialFiles.freshDirectory("large-tx-commit-" + benchmark.shape);
            db = GraphDatabase.open(new DatabaseConfig(WalConfig.builder(directory).syncMode(SyncMode.NONE).build(),
                    0, 1));
            endpoints = benchmark.workload.shape().commitEndpoints(db);
        }

        /** Closes and deletes the database. */
        @TearDown(Level.Iteration)
        public void close() {
            db.close();
            TrialFiles.delete(directory);
        }
    }

    /** A directory holding the log of one shot's transactions, written once per trial. */
    @State(Scope.Benchmark)
    public static class Replaying extends DatabaseOpenState {

        /**
         * Writes the log.
         *
         * @param benchmark the configuration
         */
        @Setup(Level.Trial)
        public void writeLog(LargeTransactionBenchmark benchmark) {
            prepare("large-tx-replay-" + benchmark.shape, 1);
            Workload workload = benchmark.workload;
            try (GraphDatabase db = GraphDatabase.open(config)) {
                long[] endpoints = workload.shape().commitEndpoints(db);
                for (int i = 0; i < workload.transactions(); i++) {
                    db.commit(tx -> {
                        workload.shape().write(tx, workload.size(), endpoints);
                        return null;
                    });
                }
            }
        }
    }
}
