package io.graphwal.benchmarks;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

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

import io.graphwal.kafka.ChangeEventFormat;
import io.graphwal.kafka.KafkaChangePublisher;
import io.graphwal.replay.DatabaseConfig;
import io.graphwal.replay.GraphDatabase;
import io.graphwal.wal.SyncMode;
import io.graphwal.wal.WalConfig;

/**
 * Leader commits with publishing to Kafka off and on, side by side: the same transaction as
 * {@link ArchiveCommitBenchmark} (one node with a 200-byte property), with or without a
 * {@link KafkaChangePublisher} sending every durable transaction to a fresh topic of the section's broker
 * (binary format; the broker runs in a JVM of its own, {@link KafkaBroker}). A fresh database and topic per
 * trial on a settled disk. The report runs {@code per-commit} with 16 threads and {@code group} with one, as
 * SPEC section 11 asks of the archive, which the change feed's target follows.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 2, jvmArgsAppend = "-Xmx2g")
public class PublishCommitBenchmark {

    /** The log's sync mode. */
    @Param({"PER_COMMIT", "GROUP"})
    public String mode;

    /** {@code off}, or {@code on} for a publisher running beside the commits. */
    @Param({"off", "on"})
    public String publish;

    /** The threads that publish, by how their names begin: the change feed's, the producer's, the control's. */
    private static final List<String> PUBLISHING_THREADS = List.of("graphwal-feed[kafka", "kafka-producer",
            "graphwal-kafka[");

    private Path directory;
    private GraphDatabase db;
    private KafkaChangePublisher publisher;
    private long openedAt;

    /** Opens the database (publishing or not) in a fresh directory and settles the disk. */
    @Setup(Level.Trial)
    public void open() {
        directory = TrialFiles.freshDirectory("publish-commit-" + mode + "-" + publish);
        db = GraphDatabase.open(new DatabaseConfig(WalConfig.builder(directory).syncMode(SyncMode.valueOf(mode))
                .build(), 0, 2));
        if (publish.equals("on")) {
            publisher = new KafkaChangePublisher(db, KafkaBroker.producerSettings(), KafkaBroker.consumerSettings(),
                    "bench-publish-" + mode.toLowerCase(Locale.ROOT) + "-" + System.nanoTime(), ChangeEventFormat.BINARY);
            publisher.start();
        }
        TrialFiles.settleDisk();
        openedAt = System.nanoTime();
    }

    /** One transaction. */
    @Benchmark
    public long commit() {
        return ArchiveCommitBenchmark.commitItem(db);
    }

    /** Checks the publisher kept up (so "on" is not the figure of one that gave up), then cleans up. */
    @TearDown(Level.Trial)
    public void close() {
        if (publisher != null) {
            reportPublishingCpu();
            long durable = db.wal().flush();
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
            while (publisher.status().publishedLsn() < durable) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the publisher did not catch up with LSN " + durable + ": "
                            + publisher.status());
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
            }
            publisher.close();
        }
        db.close();
        TrialFiles.delete(directory);
    }

    /**
     * Writes how many cores the publishing threads kept busy over the trial so far (warmup included) to the
     * sidecar {@code publish-cpu-MODE.properties}; with several forks, the last one's.
     */
    private void reportPublishingCpu() {
        ThreadCpu.of(PUBLISHING_THREADS, openedAt).writeSidecar(sidecarName(mode));
    }

    static String sidecarName(String mode) {
        return "publish-cpu-" + mode + ".properties";
    }
}
