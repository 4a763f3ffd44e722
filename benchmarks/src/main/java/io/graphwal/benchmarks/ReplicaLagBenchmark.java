package io.graphwal.benchmarks;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

import io.graphwal.kafka.ChangeEventFormat;
import io.graphwal.kafka.KafkaChangePublisher;
import io.graphwal.kafka.KafkaReplicaFollower;
import io.graphwal.replay.ChangeSubscription;
import io.graphwal.replay.CommittedTransaction;
import io.graphwal.replay.DatabaseConfig;
import io.graphwal.replay.GraphDatabase;
import io.graphwal.wal.WalConfig;

/**
 * How far a read replica trails its leader at a steady {@link #rate} commits per second on loopback. A leader
 * (default {@code group} mode) publishes to a fresh topic of the section's broker ({@link KafkaBroker}); a
 * replica in the same JVM, also in {@code group} mode, follows it. Each shot commits open-loop for
 * {@link #seconds} seconds: transaction {@code i} is due {@code i / rate} seconds after the start, whenever the
 * one before it returned, so a slow moment is not hidden by the next commit waiting for it. A change-feed
 * subscription on the replica receives each transaction once the replica has it durable and records its lag:
 * the wall clock then minus the commit time the leader logged (the replica logs the leader's commit times, and
 * both run on one clock). Lags of measured shots go to a sidecar file per fork, {@code replica-lag-PID.txt},
 * one value in microseconds per line, for the report's percentiles; JMH's own figure is only the shot's length.
 *
 * <p>The subscription's thread ({@code graphwal-feed[bench-lag]}) is the only writer of the lag samples; the
 * benchmark thread reads them only after closing the subscription, which joins that thread. Between shots it
 * waits on the volatile {@code delivered} for the replica to hand over a shot's last LSN.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
@Fork(value = 2, jvmArgsAppend = "-Xmx2g")
public class ReplicaLagBenchmark {

    /** How the sidecar files' names begin. */
    static final String SIDECAR_PREFIX = "replica-lag-";

    /** The sidecar's first line: the most the leader fell behind its schedule, in ms. */
    static final String LATE_LINE = "# late ";

    /** Commits per second on the leader. */
    @Param("1000")
    public int rate;

    /** Seconds of commits per shot. */
    @Param("5")
    public int seconds;

    private Path leaderDirectory;
    private Path replicaDirectory;
    private GraphDatabase leader;
    private KafkaChangePublisher publisher;
    private KafkaReplicaFollower follower;
    private GraphDatabase replica;
    private ChangeSubscription lags;
    private long[] samples = new long[1 << 16];
    private int sampleCount;
    private volatile boolean recording;
    private volatile long delivered;
    private long latestMillis;

    /** Starts leader, publisher, replica and its subscription on fresh directories and a fresh topic. */
    @Setup(Level.Trial)
    public void open() {
        leaderDirectory = TrialFiles.freshDirectory("replica-lag-leader");
        replicaDirectory = TrialFiles.freshDirectory("replica-lag-replica");
        String topic = "bench-replica-lag-" + System.nanoTime();
        leader = GraphDatabase.open(new DatabaseConfig(WalConfig.builder(leaderDirectory).build(), 0, 2));
        publisher = new KafkaChangePublisher(leader, KafkaBroker.producerSettings(), KafkaBroker.consumerSettings(),
                topic, ChangeEventFormat.BINARY);
        publisher.start();
        long first = ArchiveCommitBenchmark.commitItem(leader); // an empty replica learns the graph's id from the topic's first record
        follower = new KafkaReplicaFollower(KafkaBroker.consumerSettings(), topic, Duration.ofMinutes(2));
        replica = GraphDatabase.open(new DatabaseConfig(WalConfig.builder(replicaDirectory).build(), 0, 2)
                .withReplica(follower::leaderGraphId));
        follower.start(replica);
        awaitUntil(() -> replica.wal().durableLsn() >= first, "the replica has LSN " + first);
        delivered = first;
        lags = replica.subscribe("bench-lag", first + 1, this::onReplicated);
        TrialFiles.settleDisk();
    }

    private void onReplicated(CommittedTransaction transaction) {
        if (recording) {
            Instant now = Instant.now();
            long micros = Duration.between(transaction.committedAt(), now).toNanos() / 1_000;
            if (sampleCount == samples.length) {
                samples = Arrays.copyOf(samples, samples.length * 2);
            }
            samples[sampleCount++] = micros;
        }
        delivered = transaction.lsn();
    }

    /**
     * Records lags only in measured shots.
     *
     * @param iteration the shot about to run
     */
    @Setup(Level.Iteration)
    public void recordIfMeasured(IterationParams iteration) {
        recording = iteration.getType() == IterationType.MEASUREMENT;
    }

    /**
     * One shot: {@code rate * seconds} commits on the open-loop schedule, then waits until the replica has
     * delivered the last of them.
     *
     * @return the last LSN
     */
    @Benchmark
    public long shot() {
        int transactions = rate * seconds;
        long start = System.nanoTime();
        long lsn = 0;
        long late = 0;
        for (int i = 0; i < transactions; i++) {
            long due = start + i * 1_000_000_000L / rate;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            } else {
                late = Math.max(late, -wait);
            }
            lsn = ArchiveCommitBenchmark.commitItem(leader);
        }
        latestMillis = Math.max(latestMillis, TimeUnit.NANOSECONDS.toMillis(late));
        long last = lsn;
        awaitUntil(() -> delivered >= last, "the replica delivers LSN " + last);
        return last;
    }

    private void awaitUntil(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Timed out waiting until " + what + "; publisher "
                        + publisher.status() + ", replica " + follower.detail());
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
    }

    /** Writes the measured lags, then closes everything and deletes the directories. */
    @TearDown(Level.Trial)
    public void close() {
        lags.close();
        StringBuilder lines = new StringBuilder();
        lines.append(LATE_LINE).append(latestMillis).append('\n');
        for (int i = 0; i < sampleCount; i++) {
            lines.append(samples[i]).append('\n');
        }
        TrialFiles.writeSidecar(sidecarName(ProcessHandle.current().pid()), lines.toString());
        follower.close();
        replica.close();
        publisher.close();
        leader.close();
        TrialFiles.delete(leaderDirectory);
        TrialFiles.delete(replicaDirectory);
    }

    static String sidecarName(long pid) {
        return SIDECAR_PREFIX + pid + ".txt";
    }
}
