package io.graphwal.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

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

import io.graphwal.archive.ArchiveConfig;
import io.graphwal.archive.ArchiveRestore;
import io.graphwal.archive.DirectoryArchiveTarget;
import io.graphwal.io.FileIO;
import io.graphwal.replay.DatabaseConfig;
import io.graphwal.replay.GraphDatabase;
import io.graphwal.wal.SyncMode;
import io.graphwal.wal.WalConfig;

/**
 * Restore from a directory archive: rebuilding an empty data directory from an archive holding a generated
 * graph of {@link #nodes} nodes and {@link #relationships} relationships, checksums verified and the restored
 * files fsynced. Opening the restored directory is not part of it (that is the snapshot load, measured on its
 * own).
 *
 * <p>Setup commits the graph in transactions of 10,000 mutations in {@code none} mode with the archive on,
 * checkpoints (so the archive holds a snapshot of the whole graph and the log it replaced), waits until
 * everything is archived and closes. {@link #readArchive} reads every archived byte once, so that the report
 * can say what restore costs beyond reading its input; both run against the same warm page cache.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 2, jvmArgsAppend = {"-Xmx6g"})
@Warmup(iterations = 2)
@Measurement(iterations = 5)
public class ArchiveRestoreBenchmark {

    /** Nodes in the graph. */
    @Param("1000000")
    public int nodes;

    /** Relationships in the graph. */
    @Param("5000000")
    public int relationships;

    private Path source;
    private Path archive;
    private Path restored;

    /** Builds the graph with the archive on and waits until the archive holds all of it. */
    @Setup(Level.Trial)
    public void archiveGraph() throws InterruptedException {
        source = TrialFiles.freshDirectory("restore-source");
        archive = TrialFiles.freshDirectory("restore-archive");
        DatabaseConfig config = new DatabaseConfig(WalConfig.builder(source).syncMode(SyncMode.NONE).build(), 0, 1)
                .withArchive(ArchiveConfig.of(new DirectoryArchiveTarget(archive)), false);
        GeneratedGraph graph = GeneratedGraph.generate(nodes, relationships, GeneratedGraph.SEED);
        try (GraphDatabase db = GraphDatabase.open(config)) {
            GraphLoaders.load(graph, db, 10_000);
            db.checkpoint();
            db.wal().flush();
            if (!db.archiver().awaitArchived(db.wal().durableLsn(), Duration.ofMinutes(10))) {
                throw new IllegalStateException("the archive did not catch up: " + db.archiver().status());
            }
        }
        TrialFiles.delete(source);
    }

    /** A fresh, empty directory to restore into. */
    @Setup(Level.Invocation)
    public void target() {
        restored = TrialFiles.freshDirectory("restore-target");
    }

    /**
     * Restores the newest state into the empty directory.
     *
     * @return the archived bytes read
     * @throws IOException if the restore fails
     */
    @Benchmark
    public long restore() throws IOException {
        ArchiveRestore.Report report = ArchiveRestore.restore(new DirectoryArchiveTarget(archive), FileIO.standard(),
                restored, ArchiveRestore.Point.newest());
        return report.bytes();
    }

    /**
     * Reads every archived file once, to give the restore's figure its floor.
     *
     * @return the bytes read
     */
    @Benchmark
    public long readArchive() {
        byte[] buffer = new byte[1 << 20];
        long total = 0;
        for (Path file : files(archive)) {
            try (InputStream in = Files.newInputStream(file)) {
                for (int read; (read = in.read(buffer)) >= 0; ) {
                    total += read;
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return total;
    }

    private static List<Path> files(Path root) {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Deletes the restored directory. */
    @TearDown(Level.Invocation)
    public void deleteRestored() {
        TrialFiles.delete(restored);
    }

    /** Deletes the archive. */
    @TearDown(Level.Trial)
    public void deleteArchive() {
        TrialFiles.delete(archive);
    }
}
