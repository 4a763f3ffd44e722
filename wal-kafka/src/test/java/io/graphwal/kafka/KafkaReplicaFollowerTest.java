package io.graphwal.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

import io.graphwal.graph.MutationCodec;
import io.graphwal.replay.CommittedTransaction;
import io.graphwal.replay.DatabaseConfig;
import io.graphwal.replay.GraphDatabase;
import io.graphwal.replay.ReadOnlyReplicaException;
import io.graphwal.wal.SyncMode;
import io.graphwal.wal.WalConfig;
import io.graphwal.wal.WalReader;

/**
 * A replica fed from the topic a leader publishes to converges to the leader's graph under the same LSNs,
 * resumes from its own LSN after a restart, and stops, never skipping, at a gap or another graph's records.
 */
class KafkaReplicaFollowerTest {

    private static final Logger log = LoggerFactory.getLogger(KafkaReplicaFollowerTest.class);
    @RegisterExtension
    static final TestBroker broker = new TestBroker();

    @TempDir
    Path dir;

    private String topic;
    private final List<AutoCloseable> open = new ArrayList<>();

    @BeforeEach
    void nameTopic(TestInfo test) {
        topic = "replica-" + test.getTestMethod().orElseThrow().getName();
    }

    @AfterEach
    void closeEverythingAndCheckNoThreadIsLeft() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
        open.clear();
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().startsWith("graphwal-"));
    }

    private <T extends AutoCloseable> T closing(T resource) {
        open.add(resource);
        return resource;
    }

    private static WalConfig wal(Path directory) {
        return WalConfig.builder(directory).syncMode(SyncMode.GROUP).segmentSize(64 * 1024).maxRecordSize(16 * 1024)
                .build();
    }

    private GraphDatabase openLeader(Path directory) {
        return closing(GraphDatabase.open(new DatabaseConfig(wal(directory), 0, 1)));
    }

    private GraphDatabase openReplica(Path directory, Supplier<String> leaderId) {
        return closing(GraphDatabase.open(new DatabaseConfig(wal(directory), 0, 1).withReplica(leaderId)));
    }

    private static Map<String, Object> consumerSettings() {
        return Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.servers(),
                ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000);
    }

    private KafkaReplicaFollower follower() {
        return closing(new KafkaReplicaFollower(consumerSettings(), topic, Await.BOUND));
    }

    private KafkaChangePublisher publish(GraphDatabase leader, ChangeEventFormat format) {
        KafkaChangePublisher publisher = closing(new KafkaChangePublisher(leader,
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.servers()), consumerSettings(),
                topic, format));
        publisher.start();
        return publisher;
    }

    private static Supplier<String> notAsked() {
        return () -> {
            throw new AssertionError("the leader's id was asked for, though the directory holds a graph");
        };
    }

    @ParameterizedTest
    @EnumSource(ChangeEventFormat.class)
    void aReplicaFollowingTheTopicEqualsTheLeaderAtTheSameLsn(ChangeEventFormat format) {
        topic = topic + "-" + format.name().toLowerCase(); // a topic holds one graph
        long seed = 20_261_202L + format.ordinal();
        log.info("seed {}", seed);
        Workload workload = new Workload(seed);
        GraphDatabase leader = openLeader(dir.resolve("leader"));
        KafkaChangePublisher publisher = publish(leader, format);
        workload.commit(leader, 40);
        long first = leader.wal().flush();
        Await.until("LSN " + first + " is published", () -> publisher.status().publishedLsn() == first);
        KafkaReplicaFollower follower = follower();
        GraphDatabase replica = openReplica(dir.resolve("replica"), follower::leaderGraphId);
        assertThat(replica.wal().graphId()).isEqualTo(leader.wal().graphId());
        follower.start(replica);
        workload.commit(leader, 110); // while the replica follows
        long last = leader.wal().flush();
        Await.until("the replica applied LSN " + last, () -> replica.wal().appendedLsn() == last);
        assertThat(replica.read(workload::dump)).as("seed %d", seed).isEqualTo(leader.read(workload::dump));
        Await.until("the follower sees it is caught up", () -> follower.status().lagRecords() == 0);
        assertThat(follower.status()).satisfies(status -> {
            assertThat(status.source()).isEqualTo("kafka:" + topic);
            assertThat(status.appliedLsn()).isEqualTo(last);
            assertThat(status.lagMillis()).isZero();
        });
        assertThat(new KafkaReplicaHealthIndicator(follower).health().getStatus()).isEqualTo(Status.UP);
        assertThatThrownBy(() -> replica.commit(tx -> tx.createNode(List.of("X"), Map.of())))
                .isInstanceOf(ReadOnlyReplicaException.class);
    }

    @Test
    void aReplicaClosedAndReopenedMidStreamResumesFromItsOwnLsn() {
        Workload workload = new Workload(5);
        GraphDatabase leader = openLeader(dir.resolve("leader"));
        KafkaChangePublisher publisher = publish(leader, ChangeEventFormat.BINARY);
        workload.commit(leader, 60);
        long first = leader.wal().flush();
        Await.until("LSN " + first + " is published", () -> publisher.status().publishedLsn() == first);

        KafkaReplicaFollower follower = follower();
        GraphDatabase replica = openReplica(dir.resolve("replica"), follower::leaderGraphId);
        follower.start(replica);
        Await.until("the replica applied LSN " + first, () -> replica.wal().appendedLsn() == first);
        replica.checkpoint();
        follower.close();
        replica.close();

        workload.commit(leader, 70);
        long last = leader.wal().flush();
        Await.until("LSN " + last + " is published", () -> publisher.status().publishedLsn() == last);
        KafkaReplicaFollower again = follower();
        GraphDatabase reopened = openReplica(dir.resolve("replica"), notAsked());
        assertThat(reopened.wal().appendedLsn()).isEqualTo(first);
        assertThat(reopened.lastReplay().snapshotLsn()).isEqualTo(first);
        again.start(reopened);
        Await.until("the reopened replica applied LSN " + last, () -> reopened.wal().appendedLsn() == last);
        assertThat(reopened.read(workload::dump)).isEqualTo(leader.read(workload::dump));
        // Each LSN once in its own log, in order: nothing applied twice.
        List<Long> lsns = new ArrayList<>();
        try (WalReader reader = reopened.wal().reader(reopened.wal().firstLsn())) {
            while (reader.next()) {
                lsns.add(reader.lsn());
            }
        }
        assertThat(lsns).isEqualTo(Topics.range(reopened.wal().firstLsn(), last));
    }

    /** The binary payloads of a leader's log from LSN 1, index = LSN - 1. */
    private static List<byte[]> payloads(GraphDatabase leader) {
        List<byte[]> payloads = new ArrayList<>();
        try (WalReader reader = leader.wal().reader(1)) {
            while (reader.next()) {
                ByteBuffer payload = reader.payload();
                byte[] bytes = new byte[payload.remaining()];
                payload.get(bytes);
                payloads.add(bytes);
            }
        }
        return payloads;
    }

    /** Produces records by hand, as a broken or foreign publisher would, one per LSN given. */
    private void produce(String key, List<byte[]> payloads, long... lsns) throws Exception {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.servers()), new StringSerializer(),
                new ByteArraySerializer())) {
            for (long lsn : lsns) {
                ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, 0, key,
                        payloads.get((int) lsn - 1));
                record.headers().add(new RecordHeader("lsn", Long.toString(lsn).getBytes(StandardCharsets.US_ASCII)));
                producer.send(record).get();
            }
        }
    }

    @Test
    void aMissingLsnStopsTheReplicaWithAClearErrorAndDownHealth() throws Exception {
        Workload workload = new Workload(6);
        GraphDatabase leader = openLeader(dir.resolve("leader"));
        workload.commit(leader, 6);
        leader.wal().flush();
        produce(leader.wal().graphId(), payloads(leader), 1, 2, 2, 4, 5);
        KafkaReplicaFollower follower = follower();
        GraphDatabase replica = openReplica(dir.resolve("replica"), follower::leaderGraphId);
        follower.start(replica);
        Await.until("the replica stops", () -> follower.detail().state() == KafkaReplicaFollower.State.STOPPED);
        assertThat(replica.wal().appendedLsn()).isEqualTo(2);
        assertThat(follower.detail().reason()).contains("gap").contains("LSN 3 next but was given LSN 4");
        Health health = new KafkaReplicaHealthIndicator(follower).health();
        assertThat(health.getStatus()).isEqualTo(Status.DOWN);
        assertThat(health.getDetails()).containsEntry("appliedLsn", 2L).containsKey("reason");
    }

    @Test
    void theSeekCorrectsForRecordsPublishedTwiceBeforeThePositionAndSkipsThem() throws Exception {
        Workload workload = new Workload(10);
        GraphDatabase leader = openLeader(dir.resolve("leader"));
        workload.commit(leader, 6);
        leader.wal().flush();
        List<byte[]> payloads = payloads(leader);
        produce(leader.wal().graphId(), payloads, 1, 2, 2, 3, 3, 4, 5, 5, 6);
        GraphDatabase replica = openReplica(dir.resolve("replica"), leader.wal()::graphId);
        for (int lsn = 1; lsn <= 3; lsn++) {
            ByteBuffer payload = ByteBuffer.wrap(payloads.get(lsn - 1));
            replica.applyReplicated(new CommittedTransaction(lsn, null, MutationCodec.decode(payload)));
        }
        KafkaReplicaFollower follower = follower();
        follower.start(replica);
        Await.until("the replica applied LSN 6", () -> replica.wal().appendedLsn() == 6);
        assertThat(replica.read(workload::dump)).isEqualTo(leader.read(workload::dump));
        Await.until("the follower sees it is caught up", () -> follower.status().lagRecords() == 0);
        assertThat(follower.detail().state()).isEqualTo(KafkaReplicaFollower.State.FOLLOWING);
    }

    @Test
    void anUnreachableBrokerIsRetriedWithUnknownHealthAndTheReplicaKeepsServingReads() throws Exception {
        GraphDatabase leader = openLeader(dir.resolve("leader"));
        new Workload(11).commit(leader, 2);
        leader.wal().flush();
        List<byte[]> payloads = payloads(leader);
        GraphDatabase replica = openReplica(dir.resolve("replica"), leader.wal()::graphId);
        replica.applyReplicated(new CommittedTransaction(1, null, MutationCodec.decode(ByteBuffer.wrap(payloads.get(0)))));
        // Nothing listens on port 1 of the loopback address, so every connection is refused at once.
        KafkaReplicaFollower follower = closing(new KafkaReplicaFollower(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:1", ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 500,
                ConsumerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 200), topic, Await.BOUND));
        follower.start(replica);
        Await.until("the follower retries", () -> follower.detail().state() == KafkaReplicaFollower.State.RETRYING);
        Health health = new KafkaReplicaHealthIndicator(follower).health();
        assertThat(health.getStatus()).isEqualTo(Status.UNKNOWN);
        assertThat(health.getDetails()).containsEntry("state", "retrying").containsKey("lastError")
                .containsEntry("appliedLsn", 1L);
        long nodes = replica.read(view -> view.nodeCount());
        assertThat(nodes).isPositive();
        follower.close();
        assertThat(follower.detail().state()).isEqualTo(KafkaReplicaFollower.State.CLOSED);
    }

    @Test
    void aTopicOfAnotherGraphIsRefused() throws Exception {
        GraphDatabase leader = openLeader(dir.resolve("leader"));
        new Workload(7).commit(leader, 3);
        leader.wal().flush();
        List<byte[]> payloads = payloads(leader);
        produce(leader.wal().graphId(), payloads, 1, 2);
        KafkaReplicaFollower follower = follower();
        GraphDatabase replica = openReplica(dir.resolve("replica"),
                () -> "6f1c1f0e-6f55-4a0b-9a43-1d1b5f2a7c11");
        follower.start(replica);
        Await.until("the replica stops", () -> follower.detail().state() == KafkaReplicaFollower.State.STOPPED);
        assertThat(follower.detail().reason()).contains("holds changes of graph '" + leader.wal().graphId() + "'");
        assertThat(replica.wal().appendedLsn()).isZero();
    }

    @Test
    void anEmptyReplicaWithoutAnArchiveRefusesATopicThatDoesNotBeginAtLsnOne() throws Exception {
        GraphDatabase leader = openLeader(dir.resolve("leader"));
        new Workload(8).commit(leader, 4);
        leader.wal().flush();
        produce(leader.wal().graphId(), payloads(leader), 2, 3, 4);
        KafkaReplicaFollower follower = follower();
        assertThatThrownBy(() -> openReplica(dir.resolve("replica"), follower::leaderGraphId))
                .isInstanceOfSatisfying(ReplicaBootstrapException.class,
                        e -> assertThat(e.action()).contains("graphwal.archive"))
                .hasMessageContaining("begins at LSN 2, not 1").hasMessageContaining("archive");
    }
}
