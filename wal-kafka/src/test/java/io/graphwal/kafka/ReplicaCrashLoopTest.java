package io.graphwal.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.graphwal.replay.DatabaseConfig;
import io.graphwal.replay.GraphDatabase;
import io.graphwal.wal.SyncMode;
import io.graphwal.wal.WalConfig;

/**
 * A replica process killed with SIGKILL while it applies the topic, again and again, as its leader keeps
 * committing. After every kill the replica's directory reopens to exactly the leader's graph at the replica's
 * own LSN, never behind what it had reported durable; at the end it follows on and equals the leader. Where each
 * kill lands (an apply, a group fsync, a snapshot) is left to chance; the outcome must be the same wherever.
 */
class ReplicaCrashLoopTest {

    private static final Logger log = LoggerFactory.getLogger(ReplicaCrashLoopTest.class);
    private static final int CYCLES = Integer.getInteger("graphwal.kafka.crashCycles",
            Boolean.getBoolean("graphwal.test.long") ? 20 : 3);
    private static final int TRANSACTIONS_PER_CYCLE = 200;
    private static final String TOPIC = "changes-replica-crash-loop";

    @RegisterExtension
    static final TestBroker broker = new TestBroker();

    @TempDir
    Path dir;

    /** The hash of the leader's dump after each LSN it committed, LSN 0 being the empty graph. */
    private final Map<Long, String> leaderAt = new ConcurrentHashMap<>();

    @Test
    void aReplicaKilledWhileApplyingReopensToTheLeadersGraphAtItsOwnLsnAndConverges() throws Exception {
        long seed = Long.getLong("graphwal.kafka.crashSeed", System.nanoTime());
        log.info("seed {} ({} cycles); rerun with -Dgraphwal.kafka.crashSeed={}", seed, CYCLES, seed);
        Random random = new Random(seed);
        String brokers = broker.servers();
        Workload workload = new Workload(seed);
        Path replicaDir = dir.resolve("replica");
        try (GraphDatabase leader = GraphDatabase.open(new DatabaseConfig(WalConfig.builder(dir.resolve("leader"))
                .syncMode(SyncMode.GROUP).segmentSize(64 * 1024).maxRecordSize(16 * 1024).build(), 0, 1));
                KafkaChangePublisher publisher = new KafkaChangePublisher(leader,
                        Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers),
                        Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers), TOPIC, ChangeEventFormat.BINARY)) {
            publisher.start();
            leaderAt.put(0L, hash(leader.read(workload::dump)));
            commit(leader, workload, 1); // an empty replica learns the graph's id from the first record
            long replicaLsn = 0;
            for (int cycle = 0; cycle < CYCLES; cycle++) {
                Thread writer = new Thread(() -> commit(leader, workload, TRANSACTIONS_PER_CYCLE),
                        "leader-writer-" + cycle);
                long target = replicaLsn + 1 + random.nextInt(TRANSACTIONS_PER_CYCLE - 20);
                long reported = runAndKill(replicaDir, brokers, cycle, replicaLsn, writer::start, target);
                writer.join();
                try (GraphDatabase reopened = GraphDatabase.open(ReplicaCrashChild.config(replicaDir)
                        .withReplica(ReplicaCrashLoopTest::notAsked))) {
                    replicaLsn = reopened.wal().appendedLsn();
                    log.info("cycle {}: killed past LSN {} (reported durable {}), reopened at LSN {} of {}", cycle,
                            target, reported, replicaLsn, leader.wal().appendedLsn());
                    assertThat(replicaLsn).as("cycle %d: the replica keeps what it reported durable", cycle)
                            .isGreaterThanOrEqualTo(reported);
                    assertThat(hash(reopened.read(workload::dump)))
                            .as("cycle %d, seed %d: the replica at LSN %d equals the leader there", cycle, seed,
                                    replicaLsn)
                            .isEqualTo(leaderAt.get(replicaLsn));
                }
            }
            long last = leader.wal().flush();
            Await.until("LSN " + last + " is published", () -> publisher.status().publishedLsn() == last);
            try (KafkaReplicaFollower follower = new KafkaReplicaFollower(
                    Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers), TOPIC, Await.BOUND);
                    GraphDatabase replica = GraphDatabase.open(ReplicaCrashChild.config(replicaDir)
                            .withReplica(ReplicaCrashLoopTest::notAsked))) {
                follower.start(replica);
                Await.until("the replica converges to LSN " + last, () -> replica.wal().appendedLsn() == last);
                assertThat(replica.read(workload::dump)).as("seed %d", seed).isEqualTo(leader.read(workload::dump));
            }
        }
    }

    /** Commits on the leader, one transaction at a time, and remembers its graph after each LSN. */
    private void commit(GraphDatabase leader, Workload workload, int transactions) {
        for (int i = 0; i < transactions; i++) {
            workload.step(leader);
            leaderAt.put(leader.wal().appendedLsn(), hash(leader.read(workload::dump)));
            LockSupport.parkNanos(1_000_000); // a leader that keeps writing while the replica applies
        }
    }

    /**
     * Starts the replica; once it is up (it reports {@code from}, where it reopens), runs {@code whenUp}; waits
     * until it reports LSN {@code target} durable, kills it, and returns the highest LSN it reported.
     */
    private long runAndKill(Path replicaDir, String brokers, int cycle, long from, Runnable whenUp, long target)
            throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                ReplicaCrashChild.class.getName(), replicaDir.toString(), brokers, TOPIC)
                .redirectError(dir.resolve("child-" + cycle + ".err").toFile()).redirectInput(Redirect.PIPE).start();
        AtomicLong reported = new AtomicLong(-1);
        Thread reader = new Thread(() -> read(child, reported), "replica-child-output-" + cycle);
        reader.setDaemon(true);
        reader.start();
        try {
            Await.until("the replica is up (cycle " + cycle + ")", () -> !child.isAlive() || reported.get() >= from);
            whenUp.run();
            Await.until("the replica reports LSN " + target + " durable (cycle " + cycle + ")",
                    () -> !child.isAlive() || reported.get() >= target);
            assertThat(child.isAlive()).as("the replica is still running in cycle %d", cycle).isTrue();
        } finally {
            child.toHandle().destroyForcibly();
            assertThat(child.waitFor(Await.BOUND.toSeconds(), TimeUnit.SECONDS)).isTrue();
            reader.join(Await.BOUND.toMillis());
        }
        return reported.get();
    }

    private static void read(Process child, AtomicLong reported) {
        try (BufferedReader lines = new BufferedReader(
                new InputStreamReader(child.getInputStream(), StandardCharsets.US_ASCII))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                // Log lines share the stream; a line cut by the kill reads lower, which only makes the check weaker.
                if (line.matches(ReplicaCrashChild.DURABLE + "\\d+")) {
                    long lsn = Long.parseLong(line.substring(ReplicaCrashChild.DURABLE.length()));
                    reported.accumulateAndGet(lsn, Math::max);
                }
            }
        } catch (IOException e) {
            // the kill closed the stream; what was read before stands
        }
    }

    private static String notAsked() {
        throw new AssertionError("the leader's id was asked for, though the directory holds a graph");
    }

    private static String hash(String dump) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(dump.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
