package io.graphwal.benchmarks;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
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

import io.graphwal.archive.ArchiveConfig;
import io.graphwal.archive.DirectoryArchiveTarget;
import io.graphwal.replay.DatabaseConfig;
import io.graphwal.replay.GraphDatabase;
import io.graphwal.wal.SyncMode;
import io.graphwal.wal.WalConfig;

/**
 * Commits with the continuous archive off and on (a directory target, the default {@code max-lag}), side by
 * side, with the archive either on the log's own disk ({@code file}) or on another device
 * ({@code other-device}, {@link TrialFiles#OTHER_DEVICE_PROPERTY}), as the archive is meant to be run: each operation is one transaction creating a node with a 200-byte property,
 * in {@code per-commit} mode returning once durable, in {@code group} mode once written (durability follows
 * within the group interval). A fresh database and archive per trial on a settled disk. The report runs
 * {@code per-commit} with 16 threads (all three) and {@code group} with one ({@code off} and {@code file}), as
 * SPEC section 11 asks.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 2, jvmArgsAppend = "-Xmx2g")
public class ArchiveCommitBenchmark {

    private static final String PADDING = "x".repeat(200);
    private static final List<String> ITEM = List.of("Item");

    /** The log's sync mode. */
    @Param({"PER_COMMIT", "GROUP"})
    public String mode;

    /**
     * {@code off}; {@code file} for a directory archive on the log's disk, whose writes then queue beside the
     * log's fsyncs; {@code other-device} for one elsewhere, which leaves the archiver's own cost.
     */
    @Param({"off", "file", "other-device"})
    public String archive;

    /** The archiver's threads, by how their names begin: the one that reads the log, the one that stores. */
    private static final List<String> ARCHIVE_THREADS = List.of("graphwal-archive[", "graphwal-archive-io[");

    private Path directory;
    private Path archiveDirectory;
    private GraphDatabase db;
    private long openedAt;

    /** Opens the database (archiving or not) in fresh directories and settles the disk. */
    @Setup(Level.Trial)
    public void open() {
        directory = TrialFiles.freshDirectory("archive-commit-" + mode + "-" + archive);
        archiveDirectory = archive.equals("other-device") ? TrialFiles.freshOtherDeviceDirectory("archive-target")
                : TrialFiles.freshDirectory("archive-target-" + mode);
        DatabaseConfig config = new DatabaseConfig(WalConfig.builder(directory).syncMode(SyncMode.valueOf(mode))
                .build(), 0, 2);
        if (!archive.equals("off")) {
            config = config.withArchive(ArchiveConfig.of(new DirectoryArchiveTarget(archiveDirectory)), false);
        }
        db = GraphDatabase.open(config);
        TrialFiles.settleDisk();
        openedAt = System.nanoTime();
    }

    /** One transaction. */
    @Benchmark
    public long commit() {
        return commitItem(db);
    }

    /**
     * The transaction of the archive and change-feed benchmarks: one node with a 200-byte property.
     *
     * @param db where to commit it
     * @return its LSN
     */
    static long commitItem(GraphDatabase db) {
        return db.commit(tx -> tx.createNode(ITEM, Map.of("pad", PADDING))).lsn();
    }

    /** Checks the archive kept up (so the "on" figure is not one of an archiver that gave up), then cleans up. */
    @TearDown(Level.Trial)
    public void close() throws InterruptedException {
        if (db.archiver() != null) {
            // Before the catch-up below, which would count the archiver's busy minutes without the writer's.
            ThreadCpu.of(ARCHIVE_THREADS, openedAt).writeSidecar(cpuSidecarName(mode, archive));
            db.wal().flush();
            if (!db.archiver().awaitArchived(db.wal().durableLsn(), Duration.ofMinutes(5))) {
                throw new IllegalStateException("the archive did not catch up: " + db.archiver().status());
            }
        }
        db.close();
        TrialFiles.delete(directory);
        TrialFiles.delete(archiveDirectory);
    }

    /** The sidecar with the archiver's CPU use over a trial of {@code mode} archiving to {@code archive}. */
    static String cpuSidecarName(String mode, String archive) {
        return "archive-cpu-" + mode + "-" + archive + ".properties";
    }
}
