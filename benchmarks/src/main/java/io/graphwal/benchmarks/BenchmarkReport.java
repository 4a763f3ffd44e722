package io.graphwal.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Pattern;

import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;
import org.openjdk.jmh.util.Statistics;

import io.graphwal.benchmarks.LargeTransactionBenchmark.Shape;
import io.graphwal.benchmarks.LargeTransactionBenchmark.Workload;

/**
 * The one-command benchmark report: runs every benchmark group of this module with JMH's {@link Runner} (so
 * the results are in hand), measures memory in a JVM of its own, and prints a table of every configuration
 * and each SPEC section 7 target as {@code target-name measured=... goal=... PASS|MISS}.
 *
 * <p>Usage: {@code BenchmarkReport quick|full [SECTION]}, where a section ({@value #SECTIONS}) runs that part
 * alone and prints only its table and targets. System properties: {@value #RESULTS_DIR} (default
 * {@code benchmarks/target/results}) receives the raw JMH results as JSON, the fsync batch sidecars and the
 * printed report; {@value TrialFiles#DATA_PROPERTY} (default {@code benchmarks/target/bench-data}) is the
 * base of every trial directory and must be on a real disk.
 *
 * <p>Order matters once: GraphWAL's {@code per-commit} runs come first because they measure the bytes per
 * fsync that the raw floor is then given (see {@link RawFloorBenchmark}). A group that fails is reported
 * and the run goes on; the targets it feeds print as MISS with the reason.
 */
public final class BenchmarkReport {

    /** The standard system property naming a java.util.logging configuration file. */
    static final String JAVA_LOGGING = "java.util.logging.config.file";

    /** System property: where results go. */
    public static final String RESULTS_DIR = "graphwal.bench.resultsDir";

    /** The parts of the report that can run alone. */
    static final String SECTIONS = "appends, loads, checkpoint-stall, memory, large-transactions, peers, archive, "
            + "kafka";
    private static final String LARGE_TRANSACTIONS = "large-transactions";
    private static final String PEERS = "peers";
    private static final String ARCHIVE = "archive";
    private static final String KAFKA = "kafka";

    private static final int[] THREADS = {1, 4, 16};

    private final Profile profile;
    private final Set<String> sections;
    private final Path results;
    private final Path sidecars;
    private final Path data;
    private final PrintStream out;
    private final Measurements measured = new Measurements();
    private final long started = System.nanoTime();

    BenchmarkReport(Profile profile, Set<String> sections, Path results, Path data, PrintStream out) {
        this.profile = profile;
        this.sections = sections;
        this.results = results;
        this.sidecars = results.resolve("sidecars");
        this.data = data;
        this.out = out;
    }

    /**
     * Runs the report.
     *
     * @param args {@code quick} or {@code full}, optionally followed by one section
     * @throws IOException if the results cannot be written
     */
    public static void main(String[] args) throws IOException {
        if (args.length < 1 || args.length > 2) {
            System.err.println("usage: BenchmarkReport quick|full [SECTION] (sections: " + SECTIONS + ")");
            System.exit(2);
        }
        Profile profile;
        Set<String> sections = new LinkedHashSet<>(List.of(SECTIONS.split(", ")));
        try {
            profile = Profile.named(args[0]);
            if (args.length == 2) {
                if (!sections.contains(args[1])) {
                    throw new IllegalArgumentException("Unknown section '" + args[1] + "': use one of " + SECTIONS);
                }
                sections = Set.of(args[1]);
            }
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        Path results = Paths.get(System.getProperty(RESULTS_DIR, "benchmarks/target/results")).toAbsolutePath();
        Path data = Paths.get(System.getProperty(TrialFiles.DATA_PROPERTY, "benchmarks/target/bench-data"))
                .toAbsolutePath();
        Files.createDirectories(results);
        Files.createDirectories(data);
        new BenchmarkReport(profile, sections, results, data, System.out).run();
    }

    void run() throws IOException {
        out.println("GraphWAL benchmark report, " + profile.describe());
        if (profile != Profile.FULL) {
            out.println("NOTE: the quick profile uses fewer forks and iterations than SPEC section 7 requires "
                    + "(at least 2 forks and 5 iterations); its figures are indicative. Use 'full' for published "
                    + "ones.");
        }
        checkFilesystem();
        clearPreviousResults();
        quietJavaLogging();
        if (sections.contains("appends")) {
            runWalAppends();
        }
        if (sections.contains("loads")) {
            runLoads();
        }
        if (sections.contains("checkpoint-stall")) {
            runCheckpointStall();
        }
        if (sections.contains(LARGE_TRANSACTIONS)) {
            runLargeTransactions();
        }
        if (sections.contains("memory")) {
            runMemory();
        }
        if (sections.contains(PEERS)) {
            runPeers();
        }
        if (sections.contains(ARCHIVE)) {
            runArchive();
        }
        if (sections.contains(KAFKA)) {
            runKafka();
        }
        List<String> report = render();
        report.forEach(out::println);
        Path file = results.resolve("report-" + profile.name()
                + (sections.size() == 1 ? "-" + sections.iterator().next() : "") + ".txt");
        Files.write(file, report, StandardCharsets.UTF_8);
        out.println("raw JMH results (JSON), JMH logs and this report: " + results);
    }

    /** Leaves only this run's JMH files and sidecars in the results directory, so nothing stale is mixed in. */
    private void clearPreviousResults() throws IOException {
        TrialFiles.delete(sidecars);
        TrialFiles.delete(data.resolve(PeerImages.DIRECTORY));
        try (var previous = Files.newDirectoryStream(results, "jmh-*.{json,log}")) {
            for (Path file : previous) {
                Files.delete(file);
            }
        }
    }

    /**
     * Gives every JVM of the run a java.util.logging configuration of its own: without one, ArcadeDB installs
     * its default, which writes log files into a {@code log} directory under the working directory.
     */
    private void quietJavaLogging() throws IOException {
        Path file = results.resolve("java-logging.properties");
        Files.write(file, List.of("# Warnings and worse, to the console only.",
                "handlers=java.util.logging.ConsoleHandler", ".level=WARNING",
                "java.util.logging.ConsoleHandler.level=WARNING"), StandardCharsets.UTF_8);
        System.setProperty(JAVA_LOGGING, file.toString());
    }

    private void checkFilesystem() throws IOException {
        FileStore store = Files.getFileStore(data);
        out.println("trial directories under " + data + " (filesystem " + store.type() + ")");
        if (store.type().toLowerCase(Locale.ROOT).contains("tmpfs")) {
            out.println("WARNING: " + data + " is on tmpfs, where fsync costs nothing; fsync-bound figures are "
                    + "meaningless. Set -D" + TrialFiles.DATA_PROPERTY + " to a directory on a real disk.");
        }
    }

    // ---- WAL appends ------------------------------------------------------------------------------------

    /**
     * Runs the append benchmarks so that the two sides of every target ratio run one after the other:
     * per-commit GraphWAL, then the floor with the bytes per fsync it just measured, then RocksDB with
     * {@code sync=true}, per thread count and record size; then, per record size, GraphWAL's {@code group} and
     * {@code none} modes, Chronicle and RocksDB with {@code sync=false}, one writer; then the rest of RocksDB
     * without sync. On a shared machine the disk's load drifts over minutes, and adjacent trials drift least.
     */
    private void runWalAppends() {
        for (int threads : THREADS) {
            for (int bytes : profile.recordSizes()) {
                String size = threads + "t-" + bytes + "B";
                runGroup("graphwal", "graphwal-per-commit-" + size, GraphWalAppendBenchmark.class, threads,
                        timed().param("syncMode", "PER_COMMIT").param("recordBytes", Integer.toString(bytes)),
                        r -> Targets.graphwal("PER_COMMIT", threads, bytes));
                runFloor(threads, bytes);
                runGroup("rocksdb", "rocksdb-sync-" + size, RocksDbAppendBenchmark.class, threads,
                        timed().param("sync", "true").param("recordBytes", Integer.toString(bytes)),
                        r -> Targets.rocksdb(true, threads, bytes));
                Path rocksdbSyncs = sidecars.resolve(RocksDbAppendBenchmark.sidecarName(threads, bytes));
                if (Files.exists(rocksdbSyncs)) {
                    Properties figures = load(rocksdbSyncs);
                    measured.fact(Targets.rocksdbWritesPerSync(threads, bytes),
                            Double.parseDouble(figures.getProperty("writesPerSync")));
                    measured.fact(Targets.rocksdbSyncMicros(threads, bytes),
                            Double.parseDouble(figures.getProperty("meanSyncMicros")));
                }
            }
        }
        for (int bytes : profile.recordSizes()) {
            String size = "1t-" + bytes + "B";
            runGroup("graphwal", "graphwal-group-none-" + size, GraphWalAppendBenchmark.class, 1,
                    timed().param("syncMode", "GROUP", "NONE").param("recordBytes", Integer.toString(bytes)),
                    r -> Targets.graphwal(r.getParams().getParam("syncMode"), 1, bytes));
            runGroup("chronicle", "chronicle-" + size, ChronicleAppendBenchmark.class, 1,
                    timed().param("syncMode", "NONE", "SYNC").param("recordBytes", Integer.toString(bytes)),
                    r -> Targets.chronicle(r.getParams().getParam("syncMode"), bytes));
            runGroup("rocksdb", "rocksdb-nosync-" + size, RocksDbAppendBenchmark.class, 1,
                    timed().param("sync", "false").param("recordBytes", Integer.toString(bytes)),
                    r -> Targets.rocksdb(false, 1, bytes));
        }
        for (int threads : THREADS) {
            if (threads > 1) {
                runGroup("rocksdb", "rocksdb-nosync-" + threads + "t", RocksDbAppendBenchmark.class, threads,
                        timed().param("sync", "false").param("recordBytes", sizes()),
                        r -> Targets.rocksdb(false, threads, Integer.parseInt(r.getParams().getParam("recordBytes"))));
            }
        }
    }

    /**
     * Runs the raw floor with the bytes per fsync that GraphWAL's per-commit trial just measured.
     *
     * @param threads GraphWAL's writer threads in that trial
     * @param bytes its record size
     */
    private void runFloor(int threads, int bytes) {
        Path file = sidecars.resolve(GraphWalAppendBenchmark.sidecarName("PER_COMMIT", threads, bytes,
                Mode.Throughput));
        if (!Files.exists(file)) {
            measured.failed("floor", "GraphWAL's per-commit run " + threads + "t " + bytes
                    + "B left no fsync batch size to give the floor");
            return;
        }
        Properties batch = load(file);
        double recordsPerFsync = Double.parseDouble(batch.getProperty("recordsPerFsync"));
        long bytesPerFsync = Long.parseLong(batch.getProperty("bytesPerFsync"));
        measured.fact(Targets.recordsPerFsync(threads, bytes), recordsPerFsync);
        measured.fact(Targets.bytesPerFsync(threads, bytes), bytesPerFsync);
        String fsyncMicros = batch.getProperty("meanFsyncMicros");
        if (fsyncMicros != null) {
            measured.fact(Targets.walFsyncMicros(threads, bytes), Double.parseDouble(fsyncMicros));
        }
        runGroup("floor", "raw-floor-as-per-commit-" + threads + "t-" + bytes + "B", RawFloorBenchmark.class, 1,
                timed().param("bytesPerFsync", Long.toString(bytesPerFsync)), r -> Targets.floor(threads, bytes));
    }

    // ---- loads and checkpoints --------------------------------------------------------------------------

    private void runLoads() {
        runGroup("replay", "replay", ReplayBenchmark.class, 1,
                singleShot().param("mutations", Integer.toString(profile.replayMutations())),
                r -> Targets.replay(profile.replayMutations()));
        Set<String> sizes = new LinkedHashSet<>();
        sizes.add(profile.graphNodes() + "x" + profile.graphRelationships());
        sizes.add(profile.peerNodes() + "x" + profile.peerRelationships());
        for (String size : sizes) {
            int nodes = Integer.parseInt(size.substring(0, size.indexOf('x')));
            int relationships = Integer.parseInt(size.substring(size.indexOf('x') + 1));
            runGroup("graphwal-snapshot-load", "graphwal-snapshot-load-" + size, SnapshotLoadBenchmark.class, 1,
                    singleShot().param("nodes", Integer.toString(nodes))
                            .param("relationships", Integer.toString(relationships)),
                    r -> Targets.snapshotLoad(nodes, relationships));
        }
        // One TinkerGraph load of the full graph takes minutes here, so it gets one warmup and at most three
        // measured loads per fork; it feeds no target, only the comparison line under the table.
        runGroup("tinkergraph-gryo-load", "tinkergraph-gryo-load", TinkerGraphLoadBenchmark.class, 1,
                singleShot().warmupIterations(1).measurementIterations(Math.min(3, profile.singleShots()))
                        .param("nodes", Integer.toString(profile.peerNodes()))
                        .param("relationships", Integer.toString(profile.peerRelationships())),
                r -> Targets.tinkerLoad(profile.peerNodes(), profile.peerRelationships()));
    }

    private void runCheckpointStall() {
        runGroup("checkpoint-stall-commit", "checkpoint-stall", CheckpointStallBenchmark.class, 1,
                base().warmupIterations(1).measurementIterations(profile.iterations())
                        .warmupTime(TimeValue.seconds(profile.stallIterationSeconds()))
                        .measurementTime(TimeValue.seconds(profile.stallIterationSeconds()))
                        .param("nodes", Integer.toString(profile.graphNodes()))
                        .param("relationships", Integer.toString(profile.graphRelationships())),
                r -> Targets.checkpointStall(profile.graphNodes(), profile.graphRelationships()));
        Path file = sidecars.resolve("checkpoint-stall.properties");
        if (Files.exists(file)) {
            measured.fact("checkpoint-stall.checkpoints", Double.parseDouble(load(file).getProperty("checkpoints")));
        }
    }

    /**
     * Runs every shape and size of {@link LargeTransactionBenchmark} in one group: none of it waits for an
     * fsync, so the disk's drift does not separate its configurations.
     */
    private void runLargeTransactions() {
        String[] fractions = Targets.LARGE_TRANSACTION_FRACTIONS.stream().map(String::valueOf).toArray(String[]::new);
        runGroup("large-transaction", LARGE_TRANSACTIONS, LargeTransactionBenchmark.class, 1,
                base().warmupIterations(profile.largeTransactionWarmups())
                        .measurementIterations(profile.largeTransactionShots())
                        .param("fractionOfLimit", fractions)
                        .param("mutationsPerShot", Integer.toString(Targets.LARGE_TRANSACTION_MUTATIONS_PER_SHOT)),
                r -> {
                    String benchmark = r.getParams().getBenchmark();
                    return Targets.largeTransaction(benchmark.substring(benchmark.lastIndexOf('.') + 1),
                            Targets.largeTransactionWorkload(
                                    Shape.named(r.getParams().getParam("shape")),
                                    Double.parseDouble(r.getParams().getParam("fractionOfLimit"))));
                });
    }

    /** Runs {@link MemoryFootprint} in a JVM of its own, so nothing else of this run is on its heap. */
    private void runMemory() {
        progress("memory (" + profile.peerNodes() + " nodes, " + profile.peerRelationships() + " relationships)");
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = List.of(java, profile == Profile.FULL ? "-Xmx12g" : "-Xmx4g",
                "-D" + TrialFiles.DATA_PROPERTY + "=" + data, "-cp", System.getProperty("java.class.path"),
                MemoryFootprint.class.getName(), Integer.toString(profile.peerNodes()),
                Integer.toString(profile.peerRelationships()));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            Properties figures = new Properties();
            StringBuilder transcript = new StringBuilder();
            try (Reader reader = new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8);
                    BufferedReader lines = new BufferedReader(reader)) {
                String line;
                while ((line = lines.readLine()) != null) {
                    transcript.append(line).append('\n');
                    int eq = line.indexOf('=');
                    if (eq > 0 && !line.contains(" ")) {
                        figures.setProperty(line.substring(0, eq), line.substring(eq + 1));
                    }
                }
            }
            if (!process.waitFor(30, TimeUnit.MINUTES) || process.exitValue() != 0
                    || figures.getProperty("graphwal.heapBytes") == null) {
                measured.failed("memory", "the memory JVM failed: " + transcript.toString().strip());
                return;
            }
            for (String key : figures.stringPropertyNames()) {
                measured.fact("memory." + key, Double.parseDouble(figures.getProperty(key)));
            }
        } catch (IOException e) {
            measured.failed("memory", "cannot start " + java + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            measured.failed("memory", "interrupted");
        }
    }

    // ---- Neo4j and ArcadeDB ------------------------------------------------------------------------------

    /**
     * The peer comparison of issue 17: builds each system's crash image of the peer graph (which also
     * measures its footprint), then durable commits at 1 and 16 threads, reads at 1 and 2 threads, and
     * restarts after the crash. The systems of one configuration run one after the other, so that each ratio
     * compares adjacent trials. The images are deleted at the end; they are gigabytes at full size.
     */
    private void runPeers() {
        int nodes = profile.peerNodes();
        int relationships = profile.peerRelationships();
        buildPeerImages(nodes, relationships);
        for (int threads : Targets.PEER_COMMIT_THREADS) {
            runGroup("peer-commit", "peer-commit-" + threads + "t", PeerCommitBenchmark.class, threads, timed(),
                    r -> Targets.peerCommit(r.getParams().getParam("system"), threads));
        }
        for (int threads : Targets.PEER_READ_THREADS) {
            // After a start, each system's reads take seconds to reach their pace (JIT, page caches, Neo4j's
            // index warm-up), and 1-second iterations still rose through a quick run: at least 2-second
            // iterations and three warmups, whatever the profile.
            TimeValue iteration = TimeValue.seconds(Math.max(2, profile.iterationSeconds()));
            runGroup("peer-read", "peer-read-" + threads + "t", PeerReadBenchmark.class, threads,
                    timed().warmupIterations(Math.max(3, profile.warmupIterations()))
                            .warmupTime(iteration).measurementTime(iteration)
                            .param("nodes", Integer.toString(nodes))
                            .param("relationships", Integer.toString(relationships)),
                    r -> Targets.peerRead(method(r), r.getParams().getParam("system"), threads));
        }
        runGroup("peer-reopen", "peer-reopen", PeerReopenBenchmark.class, 1,
                base().forks(profile.reopenSamples()).warmupIterations(0).measurementIterations(1)
                        .param("nodes", Integer.toString(nodes))
                        .param("relationships", Integer.toString(relationships)),
                r -> Targets.peerReopen(r.getParams().getParam("system"), nodes, relationships));
        TrialFiles.delete(data.resolve(PeerImages.DIRECTORY));
    }

    /**
     * Commits with the archive off and on, per SPEC section 11: per-commit with 16 threads, group with one; then
     * the restore of "that graph" from a directory archive beside a plain read of the archived bytes.
     */
    private void runArchive() {
        for (String mode : new String[] {"PER_COMMIT", "GROUP"}) {
            int threads = Targets.archiveThreads(mode);
            String[] archives = {"off", "file", "other-device"};
            runGroup("archive-commit", "archive-commit-" + mode.toLowerCase(Locale.ROOT), ArchiveCommitBenchmark.class,
                    threads, timed().param("mode", mode).param("archive", archives),
                    r -> Targets.archiveCommit(mode, r.getParams().getParam("archive")));
            for (String archive : new String[] {"file", "other-device"}) {
                Path cpu = sidecars.resolve(ArchiveCommitBenchmark.cpuSidecarName(mode, archive));
                if (Files.exists(cpu)) {
                    ThreadCpu use = ThreadCpu.read(load(cpu));
                    measured.fact(Targets.archiverCpu(mode, archive), use.cores());
                    measured.fact(Targets.archiverKernelShare(mode, archive), use.kernelShare());
                }
            }
        }
        int nodes = profile.graphNodes();
        int relationships = profile.graphRelationships();
        runGroup("archive-restore", "archive-restore", ArchiveRestoreBenchmark.class, 1,
                singleShot().param("nodes", Integer.toString(nodes))
                        .param("relationships", Integer.toString(relationships)),
                r -> Targets.archiveRestore(method(r), nodes, relationships));
    }

    /**
     * The change feed, per SPEC section 11, against one broker in a JVM of its own: leader commits with
     * publishing off and on (per-commit with 16 threads, group with one), then the lag of a replica following
     * the leader at {@value Targets#REPLICA_LAG_RATE} commits/s. The broker is warmed up first (a fresh JVM's
     * compiler would otherwise charge its work to whichever trial publishes first), each "on" run follows its
     * "off" run directly, and the broker's CPU time during each "on" run is recorded: on a small machine the
     * broker's work competes with the leader's.
     */
    private void runKafka() {
        progress("kafka broker (in a JVM of its own)");
        try (KafkaBroker broker = KafkaBroker.start(results.resolve("kafka-broker.log"))) {
            String address = "-D" + KafkaBroker.BOOTSTRAP_PROPERTY + "=" + broker.bootstrapServers();
            runGroup("kafka-warmup", "kafka-warmup", PublishCommitBenchmark.class, 1,
                    base().forks(1).jvmArgsAppend(address).param("mode", "GROUP").param("publish", "on")
                            .warmupIterations(1).warmupTime(TimeValue.seconds(15))
                            .measurementIterations(1).measurementTime(TimeValue.seconds(1)),
                    r -> null);
            for (String mode : new String[] {"PER_COMMIT", "GROUP"}) {
                for (String publish : new String[] {"off", "on"}) {
                    double cpuBefore = broker.cpuSeconds();
                    long started = System.nanoTime();
                    // Per-commit iterations as long as the checkpoint stall's, its commits being few; group mode
                    // commits so many that its graph would outgrow the heap in those, so it keeps the usual length.
                    int seconds = mode.equals("PER_COMMIT") ? profile.stallIterationSeconds()
                            : profile.iterationSeconds();
                    runGroup("publish-commit", "publish-commit-" + mode.toLowerCase(Locale.ROOT) + "-" + publish,
                            PublishCommitBenchmark.class, Targets.archiveThreads(mode),
                            base().jvmArgsAppend(address, "-Xmx4g").param("mode", mode).param("publish", publish)
                                    .warmupIterations(profile.warmupIterations())
                                    .measurementIterations(profile.iterations())
                                    .warmupTime(TimeValue.seconds(seconds)).measurementTime(TimeValue.seconds(seconds)),
                            r -> Targets.publishCommit(mode, publish));
                    if (publish.equals("on")) {
                        measured.fact(Targets.brokerCpu(mode), (broker.cpuSeconds() - cpuBefore)
                                / ((System.nanoTime() - started) / 1e9));
                        Path cpu = sidecars.resolve(PublishCommitBenchmark.sidecarName(mode));
                        if (Files.exists(cpu)) {
                            measured.fact(Targets.publisherCpu(mode),
                                    Double.parseDouble(load(cpu).getProperty("cores")));
                        }
                    }
                }
            }
            runGroup("replica-lag", "replica-lag", ReplicaLagBenchmark.class, 1,
                    singleShot().jvmArgsAppend(address).param("rate", Integer.toString(Targets.REPLICA_LAG_RATE))
                            .param("seconds", Integer.toString(profile.stallIterationSeconds())),
                    r -> null);
            readReplicaLags();
        } catch (RuntimeException e) {
            out.println("  kafka failed: " + e.getMessage());
            measured.failed("kafka", String.valueOf(e.getMessage()));
        }
    }

    /** Gathers the lag samples every fork of the replica lag benchmark wrote. */
    private void readReplicaLags() {
        List<Long> lags = new ArrayList<>();
        long late = 0;
        try (var files = Files.newDirectoryStream(sidecars, ReplicaLagBenchmark.SIDECAR_PREFIX + "*.txt")) {
            for (Path file : files) {
                for (String line : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
                    if (line.startsWith(ReplicaLagBenchmark.LATE_LINE)) {
                        late = Math.max(late, Long.parseLong(line.substring(ReplicaLagBenchmark.LATE_LINE.length())));
                    } else if (!line.isBlank()) {
                        lags.add(Long.parseLong(line));
                    }
                }
            }
        } catch (NoSuchFileException e) {
            return; // the benchmark failed before writing; its failure is recorded
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the replica lag samples in " + sidecars, e);
        }
        Targets.replicaLagFacts(measured, lags.stream().mapToLong(Long::longValue).toArray(), late);
    }

    /**
     * Builds each system's crash image and its recovered copy, recording the footprint figures. The quick
     * profile builds the three at once to save a minute or two, so its load times are not comparable (each
     * child shared the machine with the others); heap and disk figures are per JVM and per directory either way.
     */
    private void buildPeerImages(int nodes, int relationships) {
        boolean concurrently = profile != Profile.FULL;
        progress("peer images (" + nodes + " nodes, " + relationships + " relationships, loaded durably, then each "
                + "JVM halted; then recovered once for the reads" + (concurrently ? "; all three at once" : "") + ")");
        List<Thread> builders = new ArrayList<>();
        Map<PeerGraph.Engine, Object> outcomes = new ConcurrentHashMap<>();
        for (PeerGraph.Engine engine : PeerGraph.Engine.values()) {
            Runnable build = () -> {
                try {
                    Path image = PeerImages.ensure(engine, nodes, relationships);
                    PeerImages.recovered(image, engine);
                    outcomes.put(engine, PeerImages.figures(image));
                } catch (RuntimeException e) {
                    outcomes.put(engine, e);
                }
            };
            if (concurrently) {
                Thread builder = new Thread(build, "image-" + engine.key());
                builder.start();
                builders.add(builder);
            } else {
                build.run();
            }
        }
        for (Thread builder : builders) {
            try {
                builder.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        for (PeerGraph.Engine engine : PeerGraph.Engine.values()) {
            Object outcome = outcomes.get(engine);
            if (outcome instanceof Properties figures) {
                for (String figure : figures.stringPropertyNames()) {
                    measured.fact(Targets.peerFootprint(engine.name(), figure),
                            Double.parseDouble(figures.getProperty(figure)));
                }
            } else {
                measured.failed("peer-image-" + engine.key(), String.valueOf(
                        outcome instanceof Throwable t ? t.getMessage() : "no outcome"));
            }
        }
        if (concurrently) {
            measured.fact("peer.imagesConcurrent", 1);
        }
    }

    private static String method(RunResult result) {
        String benchmark = result.getParams().getBenchmark();
        return benchmark.substring(benchmark.lastIndexOf('.') + 1);
    }

    // ---- running ----------------------------------------------------------------------------------------

    private ChainedOptionsBuilder base() {
        return new OptionsBuilder()
                .forks(profile.forks())
                .shouldFailOnError(true)
                .jvmArgs("-Xmx2g",
                        "-D" + JAVA_LOGGING + "=" + System.getProperty(JAVA_LOGGING),
                        "-D" + TrialFiles.DATA_PROPERTY + "=" + data,
                        "-D" + TrialFiles.OTHER_DEVICE_PROPERTY + "=" + TrialFiles.otherDevice(),
                        "-D" + TrialFiles.RESULTS_PROPERTY + "=" + sidecars,
                        "-D" + TrialFiles.PAUSE_PROPERTY + "=" + profile.pauseMillis());
    }

    private ChainedOptionsBuilder timed() {
        return base()
                .warmupIterations(profile.warmupIterations())
                .measurementIterations(profile.iterations())
                .warmupTime(TimeValue.seconds(profile.iterationSeconds()))
                .measurementTime(TimeValue.seconds(profile.iterationSeconds()));
    }

    private ChainedOptionsBuilder singleShot() {
        return base()
                .warmupIterations(profile.singleShotWarmups())
                .measurementIterations(profile.singleShots());
    }

    private String[] sizes() {
        return profile.recordSizes().stream().map(String::valueOf).toArray(String[]::new);
    }

    private List<RunResult> runGroup(String group, String name, Class<?> benchmark, int threads,
            ChainedOptionsBuilder options, Function<RunResult, String> key) {
        progress(name);
        options.include("^" + Pattern.quote(benchmark.getName()) + "\\.")
                .threads(threads)
                .result(results.resolve("jmh-" + name + ".json").toString())
                .resultFormat(ResultFormatType.JSON)
                // JMH's own console, with any benchmark's stack trace, kept per group for when one fails.
                .verbosity(VerboseMode.NORMAL)
                .output(results.resolve("jmh-" + name + ".log").toString());
        try {
            Collection<RunResult> run = new Runner(options.build()).run();
            List<RunResult> list = new ArrayList<>(run);
            for (RunResult result : list) {
                String k = key.apply(result);
                if (k != null) {
                    measured.add(figures(k, result));
                }
            }
            return list;
        } catch (RunnerException | RuntimeException e) {
            Throwable cause = e;
            while (cause.getCause() != null) {
                cause = cause.getCause();
            }
            String reason = name + " failed: " + cause + " (JMH's log: " + results.resolve("jmh-" + name + ".log")
                    + ")";
            out.println("  " + reason);
            measured.failed(group, reason);
            return List.of();
        }
    }

    static Figures figures(String key, RunResult result) {
        Statistics stats = result.getPrimaryResult().getStatistics();
        if (result.getParams().getMode() == Mode.Throughput) {
            return Figures.rate(key, result.getParams().getThreads(), result.getPrimaryResult().getScore(),
                    result.getPrimaryResult().getScoreUnit());
        }
        return new Figures(key, result.getParams().getThreads(), Double.NaN, stats.getMean(), stats.getPercentile(50),
                stats.getPercentile(99), stats.getPercentile(99.9), result.getPrimaryResult().getScoreUnit(),
                stats.getN(), result.getParams().getMode() == Mode.SingleShotTime);
    }

    private void progress(String what) {
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
        out.printf(Locale.ROOT, "[%02d:%02d] running %s%n", seconds / 60, seconds % 60, what);
        out.flush();
    }

    private static Properties load(Path file) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
        return properties;
    }

    // ---- output -----------------------------------------------------------------------------------------

    List<String> render() {
        List<String> lines = new ArrayList<>();
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
        lines.add("");
        lines.add(String.format(Locale.ROOT, "== Benchmarks (%s profile, %d min %02d s, JDK %s) ==", profile.name(),
                seconds / 60, seconds % 60, System.getProperty("java.version")));
        lines.add(String.format(Locale.ROOT, "%-52s %14s %11s %11s %11s %11s", "configuration", "ops/s",
                "mean", "p50", "p99", "p99.9"));
        for (Figures f : measured.allFigures().values()) {
            String unit = f.unit().replace("/op", "");
            lines.add(String.format(Locale.ROOT, "%-52s %14s %11s %11s %11s %11s", f.key(),
                    Double.isNaN(f.opsPerSecond()) ? "-" : Target.format(f.opsPerSecond()), time(f.mean(), unit),
                    time(f.p50(), unit),
                    time(f.p99(), unit), time(f.p999(), unit)));
        }
        for (int threads : THREADS) {
            for (int bytes : profile.recordSizes()) {
                measured.fact(Targets.recordsPerFsync(threads, bytes)).ifPresent(batch -> lines.add(String.format(
                        Locale.ROOT, "  per-commit %dt %dB: %.1f records and %.0f bytes per fsync, GraphWAL's fsync "
                                + "%.0f µs against the floor's %s; floor %s records/s",
                        threads, bytes, batch, measured.fact(Targets.bytesPerFsync(threads, bytes)).orElse(Double.NaN),
                        measured.fact(Targets.walFsyncMicros(threads, bytes)).orElse(Double.NaN),
                        measured.figures(Targets.floor(threads, bytes))
                                .map(f -> String.format(Locale.ROOT, "%.0f µs", 1e6 / f.opsPerSecond()))
                                .orElse("n/a"),
                        Targets.floorRecordsPerSecond(measured, threads, bytes).map(Target::format).orElse("n/a"))
                        + measured.fact(Targets.rocksdbWritesPerSync(threads, bytes)).map(writes -> String.format(
                                Locale.ROOT, "; RocksDB sync=true: %.1f writes per WAL fsync of %.0f µs", writes,
                                measured.fact(Targets.rocksdbSyncMicros(threads, bytes)).orElse(Double.NaN)))
                                .orElse("")));
            }
        }
        Figures tinker = measured.figures(Targets.tinkerLoad(profile.peerNodes(), profile.peerRelationships()))
                .orElse(null);
        Figures same = measured.figures(Targets.snapshotLoad(profile.peerNodes(), profile.peerRelationships()))
                .orElse(null);
        if (tinker != null && same != null) {
            lines.add(String.format(Locale.ROOT, "  load of %s: TinkerGraph gryo %.0f ms, GraphWAL snapshot %.0f ms "
                    + "(%.1fx faster)", Targets.graphSize(profile.peerNodes(), profile.peerRelationships()),
                    tinker.millis(tinker.mean()), same.millis(same.mean()), tinker.mean() / same.mean()));
        }
        if (measured.fact("memory.graphwal.heapBytes").isPresent()) {
            lines.add(String.format(Locale.ROOT, "  heap after GC for %s: GraphWAL %s (%s B/node, %s B/relationship), "
                    + "TinkerGraph %s (%s B/node, %s B/relationship)",
                    Targets.graphSize(profile.peerNodes(), profile.peerRelationships()),
                    megabytes("memory.graphwal.heapBytes"), memory("memory.graphwal.bytesPerNode"),
                    memory("memory.graphwal.bytesPerRelationship"), megabytes("memory.tinkergraph.heapBytes"),
                    memory("memory.tinkergraph.bytesPerNode"), memory("memory.tinkergraph.bytesPerRelationship")));
        }
        for (PeerGraph.Engine engine : PeerGraph.Engine.values()) {
            String system = engine.name();
            measured.fact(Targets.peerFootprint(system, "heapBytes")).ifPresent(heap -> lines.add(String.format(
                    Locale.ROOT, "  %s holding %s: heap after GC %.1f MB, on disk %.1f MB, durable load %.1f s"
                            + (measured.fact("peer.imagesConcurrent").isPresent() ? " (three loads at once)" : ""),
                    Targets.peerName(system), Targets.graphSize(profile.peerNodes(), profile.peerRelationships()),
                    heap / 1e6, measured.fact(Targets.peerFootprint(system, "diskBytes")).orElse(Double.NaN) / 1e6,
                    measured.fact(Targets.peerFootprint(system, "loadMillis")).orElse(Double.NaN) / 1e3)));
        }
        if (sections.contains(LARGE_TRANSACTIONS)) {
            renderLargeTransactions(lines);
        }
        measured.failures().forEach((group, reason) -> lines.add("  FAILED " + group + ": " + reason));
        if (sections.stream().anyMatch(section -> !Set.of(LARGE_TRANSACTIONS, PEERS, ARCHIVE, KAFKA)
                .contains(section))) {
            lines.add("");
            lines.add("== SPEC section 7 targets ==");
            for (Target target : Targets.evaluate(measured, profile)) {
                lines.add(target.line());
            }
        }
        if (sections.contains(LARGE_TRANSACTIONS)) {
            lines.add("");
            lines.add("== Issue 13: applying a transaction costs time linear in its size ==");
            for (Target target : Targets.largeTransactions(measured)) {
                lines.add(target.line());
            }
        }
        if (sections.contains(PEERS)) {
            lines.add("");
            lines.add("== Issue 17: against Neo4j and ArcadeDB embedded ==");
            for (Target target : Targets.peers(measured, profile)) {
                lines.add(target.line());
            }
        }
        if (sections.contains(ARCHIVE)) {
            lines.add("");
            lines.add("== Issue 15: the continuous archive costs commits at most 5%; restore is quick ==");
            for (Target target : Targets.archive(measured, profile)) {
                lines.add(target.line());
            }
        }
        if (sections.contains(KAFKA)) {
            lines.add("");
            lines.add("== Issue 16: publishing costs the leader at most 5%; a replica trails it by under 100 ms ==");
            for (Target target : Targets.kafka(measured)) {
                lines.add(target.line());
            }
        }
        return lines;
    }

    /** The cost per mutation of every large-transaction configuration, each shape's sizes together. */
    private void renderLargeTransactions(List<String> lines) {
        lines.add(String.format(Locale.ROOT, "  large transactions, none mode, at least %,d mutations per shot, median shot:",
                Targets.LARGE_TRANSACTION_MUTATIONS_PER_SHOT));
        lines.add(String.format(Locale.ROOT, "  %-14s %8s %14s %13s %15s %15s", "shape", "size", "mutations/tx",
                "transactions", "commit µs/mut", "replay µs/mut"));
        for (Shape shape : Shape.values()) {
            for (double fraction : Targets.LARGE_TRANSACTION_FRACTIONS) {
                Workload workload = Targets.largeTransactionWorkload(shape, fraction);
                lines.add(String.format(Locale.ROOT, "  %-14s %8d %14d %13d %15s %15s",
                        shape.name().toLowerCase(Locale.ROOT), workload.size(),
                        shape.mutationsPerTransaction(workload.size()), workload.transactions(),
                        perMutation(Targets.microsPerMutation(measured, "commit", workload)),
                        perMutation(Targets.microsPerMutation(measured, "replay", workload))));
            }
        }
    }

    private static String perMutation(Optional<Double> micros) {
        return micros.map(v -> String.format(Locale.ROOT, "%.3f", v)).orElse("n/a");
    }

    private String memory(String key) {
        return measured.fact(key).map(Target::format).orElse("n/a");
    }

    private String megabytes(String key) {
        return measured.fact(key).map(v -> String.format(Locale.ROOT, "%.1f MB", v / 1e6)).orElse("n/a");
    }

    private static String time(double value, String unit) {
        if (Double.isNaN(value)) {
            return "-";
        }
        return Target.format(value) + " " + unit;
    }
}
