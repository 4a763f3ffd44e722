package io.graphwal.benchmarks;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.ToDoubleFunction;

import io.graphwal.benchmarks.LargeTransactionBenchmark.Shape;
import io.graphwal.benchmarks.LargeTransactionBenchmark.Workload;
import io.graphwal.benchmarks.Target.Comparison;

/**
 * The SPEC section 7 targets, computed from one run's {@link Measurements}. Every ratio divides two figures
 * measured in the same run, on the same machine and filesystem, so drift between runs cancels out.
 */
public final class Targets {

    /** Record size of every append target. */
    static final int RECORD_BYTES = 256;
    /** Writer threads of the per-commit targets. */
    static final int PER_COMMIT_THREADS = 16;

    /** Sizes of the large-transaction benchmark as fractions of each shape's limit, smallest first. */
    static final List<Double> LARGE_TRANSACTION_FRACTIONS = List.of(0.01, 0.1, 1.0);
    /** Mutations per large-transaction shot. */
    static final int LARGE_TRANSACTION_MUTATIONS_PER_SHOT = 100_000;
    /** The phases of the large-transaction benchmark: its benchmark methods. */
    static final List<String> LARGE_TRANSACTION_PHASES = List.of("commit", "replay");
    /**
     * How many times more a mutation may cost at the limit than at 1% of it. Linear work keeps the ratio near
     * 1 (below it where a fixed cost per transaction weighs on the small ones); work that grows with the
     * transaction's size multiplies it by up to the 100x between the sizes.
     */
    static final double LINEARITY_GOAL = 3;

    private Targets() {
    }

    static String graphwal(String mode, int threads, int bytes) {
        return "graphwal/" + mode + "/" + threads + "t/" + bytes + "B";
    }

    static String floor(int threads, int bytes) {
        return "floor/as-per-commit-" + threads + "t/" + bytes + "B";
    }

    static String rocksdb(boolean sync, int threads, int bytes) {
        return "rocksdb/sync=" + sync + "/" + threads + "t/" + bytes + "B";
    }

    static String chronicle(String mode, int bytes) {
        return "chronicle/" + mode + "/1t/" + bytes + "B";
    }

    static String graphSize(int nodes, int relationships) {
        return nodes + "n-" + relationships + "r";
    }

    static String replay(int mutations) {
        return "replay/" + mutations + "-mutations";
    }

    static String snapshotLoad(int nodes, int relationships) {
        return "graphwal-snapshot-load/" + graphSize(nodes, relationships);
    }

    static String tinkerLoad(int nodes, int relationships) {
        return "tinkergraph-gryo-load/" + graphSize(nodes, relationships);
    }

    static String checkpointStall(int nodes, int relationships) {
        return "checkpoint-stall-commit/" + graphSize(nodes, relationships);
    }

    /** SPEC section 11 compares per-commit at 16 threads and group with one writer. */
    static int archiveThreads(String mode) {
        return mode.equals("PER_COMMIT") ? 16 : 1;
    }

    static String archiveCommit(String mode, String archive) {
        return "archive-commit/" + mode.toLowerCase(Locale.ROOT) + "/" + archive;
    }

    /** The fact key of the archiver threads' CPU use, in cores, in {@code mode} archiving to {@code archive}. */
    static String archiverCpu(String mode, String archive) {
        return "archive.archiverCores." + mode.toLowerCase(Locale.ROOT) + "." + archive;
    }

    /** The fact key of the share of that CPU use spent in the kernel, 0 to 1. */
    static String archiverKernelShare(String mode, String archive) {
        return "archive.archiverKernelShare." + mode.toLowerCase(Locale.ROOT) + "." + archive;
    }

    private static String archiverUse(Measurements measured, String mode, String archive) {
        return measured.fact(archiverCpu(mode, archive)).map(cores -> "; the archiver's threads used "
                + ThreadCpu.describe(cores, measured.fact(archiverKernelShare(mode, archive)).orElse(0.0)) + " of "
                + Runtime.getRuntime().availableProcessors()).orElse("");
    }

    static String archiveRestore(String method, int nodes, int relationships) {
        return "archive-restore/" + method + "/" + graphSize(nodes, relationships);
    }

    /**
     * The archive's cost: commit throughput with a directory archive over throughput without, per mode; and the
     * restore of "that graph" from a directory archive, in seconds beyond what reading the archived bytes takes
     * (SPEC section 11: under 5 s plus the read).
     *
     * @param measured the figures
     * @param profile the run's profile, which sizes the restored graph
     * @return two targets per mode (the archive on the log's disk, and on another device), then the restore's
     */
    public static List<Target> archive(Measurements measured, Profile profile) {
        List<Target> targets = new ArrayList<>();
        for (String mode : new String[] {"PER_COMMIT", "GROUP"}) {
            int threads = archiveThreads(mode);
            String name = mode.toLowerCase(Locale.ROOT).replace('_', '-');
            String work = name + ", " + threads + " thread" + (threads > 1 ? "s" : "")
                    + ", one node with a 200-byte property per transaction";
            targets.add(ratio("archive-on-" + name + "-" + threads + "t-vs-off",
                    rate(measured, archiveCommit(mode, "file")), rate(measured, archiveCommit(mode, "off")), 0.95,
                    "commits/s with a directory archive on the log's disk vs without, " + work
                            + archiverUse(measured, mode, "file")));
            targets.add(ratio("archive-on-other-device-" + name + "-" + threads + "t-vs-off",
                    rate(measured, archiveCommit(mode, "other-device")), rate(measured, archiveCommit(mode, "off")),
                    0.95, "commits/s with a directory archive on another device vs without, " + work
                            + archiverUse(measured, mode, "other-device")));
        }
        int nodes = profile.graphNodes();
        int relationships = profile.graphRelationships();
        String name = "archive-restore-" + shortSize(nodes) + "-nodes-" + shortSize(relationships) + "-rels-beyond-read";
        Optional<Figures> restore = measured.figures(archiveRestore("restore", nodes, relationships));
        Optional<Figures> read = measured.figures(archiveRestore("readArchive", nodes, relationships));
        if (restore.isPresent() && read.isPresent()) {
            double restoreSeconds = restore.get().meanSeconds();
            double readSeconds = read.get().meanSeconds();
            targets.add(new Target(name, restoreSeconds - readSeconds, Comparison.BELOW, 5, " s",
                    String.format(Locale.ROOT, "restore from a directory archive %.2f s, reading its bytes %.2f s; "
                            + "means of %d restores and %d reads", restoreSeconds, readSeconds,
                            restore.get().samples(), read.get().samples())));
        } else {
            targets.add(Target.missing(name, Comparison.BELOW, 5, " s",
                    why(measured, archiveRestore(restore.isPresent() ? "readArchive" : "restore", nodes,
                            relationships))));
        }
        return targets;
    }

    static String publishCommit(String mode, String publish) {
        return "publish-commit/" + mode.toLowerCase(Locale.ROOT) + "/" + publish;
    }

    /** The fact key of the broker's CPU use, in cores, while the leader published in {@code mode}. */
    static String brokerCpu(String mode) {
        return "kafka.brokerCores." + mode.toLowerCase(Locale.ROOT);
    }

    /** The fact key of the publishing threads' CPU use in the leader's JVM, in cores, in {@code mode}. */
    static String publisherCpu(String mode) {
        return "kafka.publisherCores." + mode.toLowerCase(Locale.ROOT);
    }

    /** The fact keys of the replica's lag: percentiles and maximum in ms, samples, leader's worst lateness. */
    static String replicaLag(String figure) {
        return "replica-lag." + figure;
    }

    /** The replica lag target's rate, commits per second (SPEC section 11). */
    static final int REPLICA_LAG_RATE = 1000;

    /**
     * The change feed's cost and lag (SPEC section 11): leader commit throughput with a Kafka publisher over
     * throughput without, per-commit at 16 threads and group with one writer; and the p99 of how far a replica
     * trails the leader at {@value #REPLICA_LAG_RATE} commits/s, under 100 ms.
     *
     * @param measured the figures
     * @return the two publishing targets, then the lag's
     */
    public static List<Target> kafka(Measurements measured) {
        List<Target> targets = new ArrayList<>();
        for (String mode : new String[] {"PER_COMMIT", "GROUP"}) {
            int threads = archiveThreads(mode);
            String name = mode.toLowerCase(Locale.ROOT).replace('_', '-');
            String broker = measured.fact(publisherCpu(mode))
                    .map(cores -> String.format(Locale.ROOT, "; the publisher's threads used %.2f cores", cores))
                    .orElse("") + measured.fact(brokerCpu(mode))
                    .map(cores -> String.format(Locale.ROOT, "; the broker, on the same machine, used %.2f cores "
                            + "meanwhile, of %d", cores, Runtime.getRuntime().availableProcessors())).orElse("");
            targets.add(ratio("publish-" + name + "-" + threads + "t-on-vs-off",
                    rate(measured, publishCommit(mode, "on")), rate(measured, publishCommit(mode, "off")), 0.95,
                    "leader commits/s publishing to Kafka vs not, " + name + ", " + threads + " thread"
                            + (threads > 1 ? "s" : "") + ", one node with a 200-byte property per transaction"
                            + broker));
        }
        String name = "replica-lag-p99-at-" + REPLICA_LAG_RATE + "-commits-per-second";
        Optional<Double> p99 = measured.fact(replicaLag("p99Millis"));
        if (p99.isPresent()) {
            targets.add(new Target(name, p99.get(), Comparison.BELOW, 100, " ms", String.format(Locale.ROOT,
                    "leader commit to replica durable, open loop, group mode both sides: p50 %.1f ms, p99.9 %.1f ms, "
                            + "max %.1f ms over %,.0f transactions; the leader fell at most %.0f ms behind its "
                            + "schedule", measured.fact(replicaLag("p50Millis")).orElse(Double.NaN),
                    measured.fact(replicaLag("p999Millis")).orElse(Double.NaN),
                    measured.fact(replicaLag("maxMillis")).orElse(Double.NaN),
                    measured.fact(replicaLag("samples")).orElse(Double.NaN),
                    measured.fact(replicaLag("lateMillis")).orElse(Double.NaN))));
        } else {
            targets.add(Target.missing(name, Comparison.BELOW, 100, " ms", measured.failures().getOrDefault(
                    "replica-lag", measured.failures().getOrDefault("kafka", "no lag was measured"))));
        }
        return targets;
    }

    /**
     * Turns the lag samples of every fork into the facts {@link #kafka} judges.
     *
     * @param measured where the facts go
     * @param lagMicros every measured lag, in microseconds
     * @param lateMillis the most the leader fell behind its schedule in any fork
     */
    static void replicaLagFacts(Measurements measured, long[] lagMicros, long lateMillis) {
        if (lagMicros.length == 0) {
            return;
        }
        long[] sorted = lagMicros.clone();
        Arrays.sort(sorted);
        measured.fact(replicaLag("p50Millis"), percentile(sorted, 0.50) / 1000.0);
        measured.fact(replicaLag("p99Millis"), percentile(sorted, 0.99) / 1000.0);
        measured.fact(replicaLag("p999Millis"), percentile(sorted, 0.999) / 1000.0);
        measured.fact(replicaLag("maxMillis"), sorted[sorted.length - 1] / 1000.0);
        measured.fact(replicaLag("samples"), sorted.length);
        measured.fact(replicaLag("lateMillis"), lateMillis);
    }

    /** The nearest-rank percentile of sorted values. */
    static long percentile(long[] sorted, double fraction) {
        int rank = (int) Math.ceil(fraction * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    static String peerCommit(String system, int threads) {
        return "peer-commit/" + system.toLowerCase(Locale.ROOT) + "/" + threads + "t";
    }

    static String peerRead(String query, String system, int threads) {
        return "peer-read/" + query + "/" + system.toLowerCase(Locale.ROOT) + "/" + threads + "t";
    }

    static String peerReopen(String system, int nodes, int relationships) {
        return "peer-reopen/" + system.toLowerCase(Locale.ROOT) + "/" + graphSize(nodes, relationships);
    }

    /** Fact: a peer's heap after GC, bytes on disk or load time for the peer graph. */
    static String peerFootprint(String system, String figure) {
        return "peer." + system.toLowerCase(Locale.ROOT) + "." + figure;
    }

    static String largeTransaction(String phase, Workload workload) {
        return "large-transaction/" + phase + "/" + workload.shape().name().toLowerCase(Locale.ROOT) + "/"
                + workload.size();
    }

    /**
     * The workload of one large-transaction configuration the report runs.
     *
     * @param shape the kind of transaction
     * @param fraction its size as a fraction of the shape's limit
     * @return the workload
     */
    static Workload largeTransactionWorkload(Shape shape, double fraction) {
        return Workload.of(shape, fraction, LARGE_TRANSACTION_MUTATIONS_PER_SHOT);
    }

    /**
     * The time per mutation of one large-transaction configuration, from the median shot: on a shared machine
     * a few of ten shots of 50 ms catch someone else's work, and the mean follows them.
     *
     * @param measured the run
     * @param phase {@code commit} or {@code replay}
     * @param workload the configuration
     * @return microseconds per mutation, if measured
     */
    static Optional<Double> microsPerMutation(Measurements measured, String phase, Workload workload) {
        return measured.figures(largeTransaction(phase, workload))
                .map(f -> f.millis(f.p50()) * 1e3 / workload.mutations());
    }

    /** Fact: GraphWAL's mean records per fsync in the given per-commit configuration. */
    static String recordsPerFsync(int threads, int bytes) {
        return "per-commit-" + threads + "t-" + bytes + "B.recordsPerFsync";
    }

    /** Fact: how long GraphWAL's fsyncs took on average in the given per-commit configuration, in µs. */
    static String walFsyncMicros(int threads, int bytes) {
        return "per-commit-" + threads + "t-" + bytes + "B.fsyncMicros";
    }

    /** Fact: RocksDB's writes per WAL fsync with {@code sync=true} in the given configuration. */
    static String rocksdbWritesPerSync(int threads, int bytes) {
        return "rocksdb-sync-" + threads + "t-" + bytes + "B.writesPerSync";
    }

    /** Fact: RocksDB's mean WAL fsync time with {@code sync=true} in the given configuration, in µs. */
    static String rocksdbSyncMicros(int threads, int bytes) {
        return "rocksdb-sync-" + threads + "t-" + bytes + "B.syncMicros";
    }

    /** Fact: GraphWAL's mean bytes per fsync in the given per-commit configuration. */
    static String bytesPerFsync(int threads, int bytes) {
        return "per-commit-" + threads + "t-" + bytes + "B.bytesPerFsync";
    }

    /**
     * The raw floor's rate in records per second for a per-commit configuration: its fsyncs per second times
     * GraphWAL's records per fsync there.
     *
     * @param measured the run
     * @param threads GraphWAL's writer threads
     * @param bytes record size
     * @return the rate, if both halves were measured
     */
    static Optional<Double> floorRecordsPerSecond(Measurements measured, int threads, int bytes) {
        Optional<Figures> floor = measured.figures(floor(threads, bytes));
        Optional<Double> batch = measured.fact(recordsPerFsync(threads, bytes));
        if (floor.isEmpty() || batch.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(floor.get().opsPerSecond() * batch.get());
    }

    /**
     * Computes every target.
     *
     * @param measured the run
     * @param profile the profile it ran with (for graph sizes)
     * @return the targets, in SPEC order
     */
    public static List<Target> evaluate(Measurements measured, Profile profile) {
        List<Target> targets = new ArrayList<>();
        int t = PER_COMMIT_THREADS;
        int b = RECORD_BYTES;
        Optional<Double> perCommit = rate(measured, graphwal("PER_COMMIT", t, b));
        targets.add(ratio("per-commit-16t-256B-vs-raw-floor", perCommit, floorRecordsPerSecond(measured, t, b), 0.8,
                "GraphWAL per-commit 16 threads vs one-thread write+force(false) of the same bytes per fsync"
                        + measured.fact(bytesPerFsync(t, b)).map(x -> String.format(Locale.ROOT, " (%.0f B)", x))
                                .orElse("")));
        targets.add(ratio("per-commit-16t-256B-vs-rocksdb-sync", perCommit, rate(measured, rocksdb(true, t, b)), 2,
                "GraphWAL per-commit vs RocksDB sync=true, both 16 threads"));
        Optional<Double> chronicle = rate(measured, chronicle("NONE", b));
        Optional<Double> rocksNoSync = rate(measured, rocksdb(false, 1, b));
        for (String mode : List.of("GROUP", "NONE")) {
            String lower = mode.toLowerCase(Locale.ROOT);
            Optional<Double> graphwal = rate(measured, graphwal(mode, 1, b));
            targets.add(ratio(lower + "-1t-256B-vs-chronicle-nosync", graphwal, chronicle, 0.5,
                    "GraphWAL " + lower + " vs Chronicle Queue without sync, one writer"));
            targets.add(ratio(lower + "-1t-256B-vs-rocksdb-nosync", graphwal, rocksNoSync, 2,
                    "GraphWAL " + lower + " vs RocksDB sync=false, one writer"));
        }
        String replay = replay(profile.replayMutations());
        targets.add(measured.figures(replay)
                .map(f -> new Target("replay-mutations-per-second", profile.replayMutations() / f.meanSeconds(),
                        Comparison.AT_LEAST, 2_000_000, "/s", String.format(Locale.ROOT,
                                "%,d mutations from the page cache in %.0f ms", profile.replayMutations(),
                                f.millis(f.mean()))))
                .orElseGet(() -> Target.missing("replay-mutations-per-second", Comparison.AT_LEAST, 2_000_000, "/s",
                        why(measured, replay))));
        String load = snapshotLoad(profile.graphNodes(), profile.graphRelationships());
        String loadName = "snapshot-load-" + shortSize(profile.graphNodes()) + "-nodes-"
                + shortSize(profile.graphRelationships()) + "-rels";
        targets.add(measured.figures(load)
                .map(f -> new Target(loadName, f.meanSeconds(), Comparison.BELOW, 3, " s",
                        "mean of " + f.samples() + " loads"))
                .orElseGet(() -> Target.missing(loadName, Comparison.BELOW, 3, " s", why(measured, load))));
        String memoryNote = "heap after GC, " + shortSize(profile.peerNodes()) + " nodes / "
                + shortSize(profile.peerRelationships()) + " relationships"
                + (profile.peerGraphScaled() ? ", scaled graph" : "");
        targets.add(fact(measured, "memory-bytes-per-node", "memory.graphwal.bytesPerNode", Comparison.AT_MOST, 150,
                " B", memoryNote));
        targets.add(fact(measured, "memory-bytes-per-relationship", "memory.graphwal.bytesPerRelationship",
                Comparison.AT_MOST, 100, " B", memoryNote));
        targets.add(ratio("memory-vs-tinkergraph", measured.fact("memory.tinkergraph.heapBytes"),
                measured.fact("memory.graphwal.heapBytes"), 4,
                "TinkerGraph heap / GraphWAL heap for the same graph; " + memoryNote));
        String stall = checkpointStall(profile.graphNodes(), profile.graphRelationships());
        targets.add(measured.figures(stall)
                .map(f -> new Target("checkpoint-stall-p99.9-commit-latency", f.millis(f.p999()), Comparison.BELOW, 50,
                        " ms", f.samples() + " commits sampled during "
                                + measured.fact("checkpoint-stall.checkpoints").map(c -> String.format(Locale.ROOT,
                                        "%.0f", c)).orElse("?") + " checkpoints; p99 "
                                + String.format(Locale.ROOT, "%.2f ms", f.millis(f.p99()))))
                .orElseGet(() -> Target.missing("checkpoint-stall-p99.9-commit-latency", Comparison.BELOW, 50, " ms",
                        why(measured, stall))));
        return targets;
    }

    /** The systems GraphWAL is compared with in the peer targets. */
    static final List<String> PEERS = List.of("NEO4J", "ARCADEDB");
    /** Thread counts of the durable commit comparison. */
    static final int[] PEER_COMMIT_THREADS = {1, 16};
    /** Thread counts of the read comparison. */
    static final int[] PEER_READ_THREADS = {1, 2};
    /** The read comparison's queries, as the benchmark methods are named. */
    static final List<String> PEER_QUERIES = List.of("oneHop", "twoHop", "lookup");

    /**
     * The peer targets alone (issue 17): GraphWAL against Neo4j embedded and ArcadeDB embedded.
     *
     * @param measured the run
     * @param profile the profile it ran with (for the peer graph's size)
     * @return the targets
     */
    public static List<Target> peers(Measurements measured, Profile profile) {
        List<Target> targets = new ArrayList<>();
        String scaled = profile.peerGraphScaled() ? ", scaled graph" : "";
        for (int threads : PEER_COMMIT_THREADS) {
            Optional<Double> graphwal = rate(measured, peerCommit("GRAPHWAL", threads));
            for (String peer : PEERS) {
                String lower = peer.toLowerCase(Locale.ROOT);
                boolean many = threads > 1;
                // At 16 threads the goal is a multiple of each peer; at one thread, being ahead.
                double goal = !many ? 1 : peer.equals("NEO4J") ? 5 : 3;
                targets.add(ratio("durable-commit-" + threads + "t-vs-" + lower, graphwal,
                        rate(measured, peerCommit(peer, threads)), many ? Comparison.AT_LEAST : Comparison.ABOVE,
                        goal, "GraphWAL per-commit vs " + peerName(peer) + ", 2 nodes + 1 relationship per durable "
                                + "commit, " + threads + " thread" + (many ? "s" : "")));
            }
        }
        String shape = shortSize(profile.peerNodes()) + " nodes / " + shortSize(profile.peerRelationships())
                + " relationships" + scaled;
        Optional<Double> walReopen = measured.figures(peerReopen("GRAPHWAL", profile.peerNodes(),
                profile.peerRelationships())).map(Figures::mean);
        Optional<String> fastest = fastest(PEERS.stream().filter(p -> measured.figures(
                peerReopen(p, profile.peerNodes(), profile.peerRelationships())).isPresent()).toList(),
                p -> -measured.figures(peerReopen(p, profile.peerNodes(), profile.peerRelationships())).get().mean());
        Optional<Double> peerReopen = fastest.map(p -> measured.figures(peerReopen(p, profile.peerNodes(),
                profile.peerRelationships())).get().mean());
        targets.add(ratio("crash-reopen-vs-fastest-peer", peerReopen, walReopen, Comparison.AT_LEAST, 3,
                "reopen after a halt until the first query answers, in a new JVM: fastest peer ("
                        + fastest.map(Targets::peerName).orElse("none") + ") ms / GraphWAL ms, " + shape));
        for (String query : PEER_QUERIES) {
            for (int threads : PEER_READ_THREADS) {
                int t = threads;
                Optional<String> best = fastest(PEERS.stream().filter(p -> rate(measured, peerRead(query, p, t))
                        .isPresent()).toList(), p -> rate(measured, peerRead(query, p, t)).get());
                targets.add(ratio("read-" + query + "-" + threads + "t-vs-fastest-peer",
                        rate(measured, peerRead(query, "GRAPHWAL", threads)),
                        best.flatMap(p -> rate(measured, peerRead(query, p, t))), Comparison.ABOVE, 1,
                        "GraphWAL vs the fastest peer (" + best.map(Targets::peerName).orElse("none") + "), ops/s, "
                                + threads + " thread" + (threads > 1 ? "s" : "") + ", " + shape));
            }
        }
        return targets;
    }

    /**
     * The linearity targets of issue 13, one per phase: the worst shape's cost per mutation at its limit over
     * its cost at 1% of the limit.
     *
     * @param measured the run
     * @return the commit target, then the replay target
     */
    public static List<Target> largeTransactions(Measurements measured) {
        List<Target> targets = new ArrayList<>();
        double smallest = LARGE_TRANSACTION_FRACTIONS.get(0);
        double largest = LARGE_TRANSACTION_FRACTIONS.get(LARGE_TRANSACTION_FRACTIONS.size() - 1);
        for (String phase : LARGE_TRANSACTION_PHASES) {
            String name = "large-transaction-" + phase + "-linearity";
            double worst = Double.NEGATIVE_INFINITY;
            List<String> ratios = new ArrayList<>();
            String missing = null;
            for (Shape shape : Shape.values()) {
                Workload small = largeTransactionWorkload(shape, smallest);
                Workload limit = largeTransactionWorkload(shape, largest);
                Optional<Double> atSmall = microsPerMutation(measured, phase, small);
                Optional<Double> atLimit = microsPerMutation(measured, phase, limit);
                if (atSmall.isEmpty() || atLimit.isEmpty()) {
                    missing = why(measured, largeTransaction(phase, atSmall.isEmpty() ? small : limit));
                    break;
                }
                double ratio = atLimit.get() / atSmall.get();
                worst = Math.max(worst, ratio);
                ratios.add(String.format(Locale.ROOT, "%s %.2fx", shape.name().toLowerCase(Locale.ROOT), ratio));
            }
            String detail = "µs per mutation at each shape's limit / at 1% of it, worst shape; ";
            targets.add(missing != null
                    ? Target.missing(name, Comparison.AT_MOST, LINEARITY_GOAL, "x", missing)
                    : new Target(name, worst, Comparison.AT_MOST, LINEARITY_GOAL, "x",
                            detail + String.join(", ", ratios)));
        }
        return targets;
    }

    /** The peer with the highest score, if any was measured. */
    private static Optional<String> fastest(List<String> peers, ToDoubleFunction<String> score) {
        return peers.stream().max(Comparator.comparingDouble(score));
    }

    static String peerName(String system) {
        return switch (system) {
            case "NEO4J" -> "Neo4j";
            case "ARCADEDB" -> "ArcadeDB";
            default -> "GraphWAL";
        };
    }

    private static Optional<Double> rate(Measurements measured, String key) {
        return measured.figures(key).map(Figures::opsPerSecond).filter(rate -> !Double.isNaN(rate));
    }

    private static Target ratio(String name, Optional<Double> numerator, Optional<Double> denominator, double goal,
            String detail) {
        return ratio(name, numerator, denominator, Comparison.AT_LEAST, goal, detail);
    }

    private static Target ratio(String name, Optional<Double> numerator, Optional<Double> denominator,
            Comparison comparison, double goal, String detail) {
        if (numerator.isEmpty() || denominator.isEmpty()) {
            return Target.missing(name, comparison, goal, "x", "a side of the ratio was not measured; " + detail);
        }
        return new Target(name, numerator.get() / denominator.get(), comparison, goal, "x",
                String.format(Locale.ROOT, "%s: %s / %s", detail, Target.format(numerator.get()),
                        Target.format(denominator.get())));
    }

    private static Target fact(Measurements measured, String name, String key, Comparison comparison, double goal,
            String unit, String detail) {
        return measured.fact(key)
                .map(v -> new Target(name, v, comparison, goal, unit, detail))
                .orElseGet(() -> Target.missing(name, comparison, goal, unit,
                        measured.failures().getOrDefault("memory", "the memory measurement did not run")));
    }

    private static String why(Measurements measured, String key) {
        String group = key.substring(0, key.indexOf('/'));
        return measured.failures().getOrDefault(group, "no result for " + key);
    }

    static String shortSize(int count) {
        if (count >= 1_000_000 && count % 100_000 == 0) {
            return (count % 1_000_000 == 0 ? String.valueOf(count / 1_000_000)
                    : String.format(Locale.ROOT, "%.1f", count / 1e6)) + "M";
        }
        if (count >= 1000 && count % 1000 == 0) {
            return count / 1000 + "k";
        }
        return String.valueOf(count);
    }
}
