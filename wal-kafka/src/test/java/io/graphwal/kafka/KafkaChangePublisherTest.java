package io.graphwal.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.graphwal.replay.DatabaseConfig;
import io.graphwal.replay.GraphDatabase;
import io.graphwal.wal.SyncMode;
import io.graphwal.wal.WalConfig;
import io.graphwal.wal.WalReader;

/** The publisher sends every durable transaction to the topic exactly once, in order, across restarts. */
class KafkaChangePublisherTest {

    @RegisterExtension
    static final TestBroker broker = new TestBroker();

    @TempDir
    Path dir;

    private String topic;
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeEverythingAndCheckNoThreadIsLeft() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().startsWith("graphwal-"));
    }

    @BeforeEach
    void nameTopic(TestInfo test) {
        topic = "changes-" + test.getTestMethod().orElseThrow().getName();
    }

    private GraphDatabase openDatabase() {
        GraphDatabase db = GraphDatabase.open(new DatabaseConfig(WalConfig.builder(dir.resolve("graph"))
                .syncMode(SyncMode.GROUP).segmentSize(64 * 1024).maxRecordSize(16 * 1024).build(), 0, 1));
        open.add(db);
        return db;
    }

    private KafkaChangePublisher publisher(GraphDatabase db, String brokers, boolean gated) {
        Map<String, Object> producer = new HashMap<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers));
        if (gated) {
            producer.put(ProducerConfig.INTERCEPTOR_CLASSES_CONFIG, GateInterceptor.class.getName());
        }
        Map<String, Object> consumer = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers,
                ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 2000, ConsumerConfig.GROUP_ID_CONFIG, "ignored");
        KafkaChangePublisher publisher = new KafkaChangePublisher(db, producer, consumer, topic,
                ChangeEventFormat.BINARY);
        open.add(publisher);
        return publisher;
    }

    @Test
    void publishesEveryDurableTransactionOnceInOrderKeyedByTheGraphWithItsHeaders() {
        GraphDatabase db = openDatabase();
        Workload workload = new Workload(1);
        workload.commit(db, 40); // before the publisher starts: published from LSN 1 all the same
        KafkaChangePublisher publisher = publisher(db, broker.servers(), false);
        publisher.start();
        workload.commit(db, 60);
        long last = db.wal().flush();
        Await.until("the topic holds LSN " + last, () -> publisher.status().publishedLsn() == last);
        List<ConsumerRecord<String, byte[]>> records = Topics.readThrough(broker.servers(), topic, last);
        assertThat(Topics.lsns(records)).isEqualTo(Topics.range(1, last));
        assertThat(records).allSatisfy(record -> {
            assertThat(record.partition()).isZero();
            assertThat(record.key()).isEqualTo(db.wal().graphId());
            Instant.parse(new String(record.headers().lastHeader("committed-at").value(), StandardCharsets.US_ASCII));
        });
        assertThat(published(records)).isEqualTo(logged(db));
        assertThat(publisher.status().state()).isEqualTo(KafkaChangePublisher.State.PUBLISHING);
        assertThat(publisher.publishedCount()).isEqualTo(last);
    }

    @Test
    void resumesAfterTheTopicsLastLsnWhenStoppedMidSendAtPointsForcedByALatch() throws Exception {
        GraphDatabase db = openDatabase();
        Workload workload = new Workload(2);
        for (int round = 0; round < 4; round++) {
            KafkaChangePublisher publisher = publisher(db, broker.servers(), true);
            long first = db.wal().appendedLsn() + 1;
            GateInterceptor.arm(first + 3 + round * 5);
            publisher.start();
            workload.commit(db, 30);
            db.wal().flush();
            GateInterceptor.awaitReached();
            // The send of the armed LSN is parked; stop the publisher around it, as a shutdown would.
            Thread closer = new Thread(publisher::close, "test-closer");
            closer.start();
            GateInterceptor.open();
            closer.join();
            open.remove(publisher);
            if (round % 2 == 1) {
                // Restart the graph too, as a restart of the application would.
                db.close();
                open.remove(db);
                db = openDatabase();
            }
        }
        KafkaChangePublisher last = publisher(db, broker.servers(), false);
        last.start();
        long durable = db.wal().flush();
        Await.until("the topic catches up with LSN " + durable, () -> last.status().publishedLsn() == durable);
        List<ConsumerRecord<String, byte[]>> records = Topics.readThrough(broker.servers(), topic, durable);
        assertThat(Topics.lsns(records)).as("each LSN exactly once, in order").isEqualTo(Topics.range(1, durable));
        assertThat(published(records)).isEqualTo(logged(db));
    }

    @Test
    void anUnreachableBrokerNeverCostsACommitAndKeepsTheLogForLater() throws IOException {
        GraphDatabase db = openDatabase();
        KafkaChangePublisher publisher = publisher(db, "127.0.0.1:" + unusedPort(), false);
        publisher.start();
        Await.until("the publisher reports the outage",
                () -> publisher.status().state() == KafkaChangePublisher.State.RETRYING);
        new Workload(3).commit(db, 300);
        db.checkpoint();
        assertThat(db.wal().firstLsn()).as("the log is held for the publisher").isEqualTo(1);
        assertThat(publisher.status().lastError()).isNotNull();
        assertThat(publisher.failureCount()).isPositive();
    }

    @Test
    void refusesATopicThatHoldsAnotherGraphsChanges() {
        try (KafkaProducer<String, byte[]> other = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.servers()), new StringSerializer(),
                new ByteArraySerializer())) {
            ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, 0, "another-graph", new byte[] {1});
            record.headers().add("lsn", "7".getBytes(StandardCharsets.US_ASCII));
            other.send(record);
        }
        GraphDatabase db = openDatabase();
        KafkaChangePublisher publisher = publisher(db, broker.servers(), false);
        publisher.start();
        Await.until("the publisher refuses", () -> publisher.status().state() == KafkaChangePublisher.State.FAILED);
        assertThat(publisher.status().lastError()).contains("another-graph").contains(db.wal().graphId())
                .contains("graphwal.kafka.topic");
    }

    /** Each record's value, which in the binary format is the transaction's WAL payload. */
    @Test
    void aTransactionLeftOpenByADeadPublisherIsAbortedAndNeverCountsAsPublished() {
        GraphDatabase db = openDatabase();
        Workload workload = new Workload(3);
        workload.commit(db, 20);
        long first = db.wal().flush();
        KafkaChangePublisher publisher = publisher(db, broker.servers(), false);
        publisher.start();
        Await.until("the topic holds LSN " + first, () -> publisher.status().publishedLsn() == first);
        publisher.close();
        open.remove(publisher);

        // What a publisher killed mid-transaction leaves: a record of the next LSN in the partition, uncommitted.
        // Read as published, it would make the next publisher skip that LSN.
        KafkaProducer<String, byte[]> zombie = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.servers(),
                ProducerConfig.TRANSACTIONAL_ID_CONFIG,
                KafkaChangePublisher.transactionalId(db.wal().graphId(), topic)),
                new StringSerializer(), new ByteArraySerializer());
        open.add(zombie);
        zombie.initTransactions();
        zombie.beginTransaction();
        ProducerRecord<String, byte[]> stray = new ProducerRecord<>(topic, 0, db.wal().graphId(), new byte[] {0});
        stray.headers().add("lsn", Long.toString(first + 1).getBytes(StandardCharsets.US_ASCII));
        zombie.send(stray);
        zombie.flush();

        workload.commit(db, 20);
        long last = db.wal().flush();
        KafkaChangePublisher next = publisher(db, broker.servers(), false);
        next.start();
        Await.until("the topic holds LSN " + last, () -> next.status().publishedLsn() == last);

        assertThat(Topics.lsns(Topics.readThrough(broker.servers(), topic, last))).isEqualTo(Topics.range(1, last));
        assertThatThrownBy(zombie::commitTransaction).as("fenced by the next publisher")
                .isInstanceOf(ProducerFencedException.class);
    }

    private static List<String> published(List<ConsumerRecord<String, byte[]>> records) {
        return records.stream().map(r -> Base64.getEncoder().encodeToString(r.value())).toList();
    }

    private static List<String> logged(GraphDatabase db) {
        List<String> logged = new ArrayList<>();
        try (WalReader reader = db.wal().reader(1)) {
            while (reader.next()) {
                ByteBuffer payload = reader.payload();
                byte[] bytes = new byte[payload.remaining()];
                payload.get(bytes);
                logged.add(Base64.getEncoder().encodeToString(bytes));
            }
        }
        return logged;
    }

    private static int unusedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
