package io.graphwal.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import kafka.server.BrokerServer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.graphwal.replay.DatabaseConfig;
import io.graphwal.replay.GraphDatabase;
import io.graphwal.wal.SyncMode;
import io.graphwal.wal.WalConfig;

/**
 * The broker stops while transactions are being published and starts again: commits never wait for it, the
 * log is held meanwhile, and afterwards the topic holds every LSN exactly once. A broker of its own, since
 * this test stops it.
 */
class BrokerOutageTest {

    @RegisterExtension
    static final TestBroker broker = new TestBroker();

    @TempDir
    Path dir;

    @Test
    void aBrokerStoppedAndStartedUnderLoadCostsNoCommitAndLeavesEachLsnOnceInTheTopic() {
        String brokers = broker.servers();
        Workload workload = new Workload(6);
        try (GraphDatabase db = GraphDatabase.open(new DatabaseConfig(WalConfig.builder(dir.resolve("graph"))
                .syncMode(SyncMode.GROUP).segmentSize(64 * 1024).maxRecordSize(16 * 1024).build(), 0, 1));
                KafkaChangePublisher publisher = new KafkaChangePublisher(db,
                        Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers),
                        Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers), "changes-outage",
                        ChangeEventFormat.BINARY)) {
            publisher.start();
            workload.commit(db, 50);
            long before = db.wal().flush();
            Await.until("LSN " + before + " is published", () -> publisher.status().publishedLsn() == before);

            BrokerServer server = broker.embedded().getCluster().brokers().values().iterator().next();
            server.shutdown();
            server.awaitShutdown();
            workload.commit(db, 300);
            long during = db.wal().flush();
            Await.until("a send waits for the broker", () -> publisher.status().unacknowledgedSince() != null);
            db.checkpoint();
            assertThat(db.wal().firstLsn()).as("the log still holds the first unpublished LSN")
                    .isLessThanOrEqualTo(before + 1);
            assertThat(publisher.status().publishedLsn()).isLessThan(during);

            server.startup();
            workload.commit(db, 50);
            long after = db.wal().flush();
            Await.until("publishing catches up with LSN " + after, () -> publisher.status().publishedLsn() == after);
            List<Long> lsns = Topics.lsns(Topics.readThrough(brokers, "changes-outage", after));
            assertThat(lsns).as("each LSN exactly once, in order").isEqualTo(Topics.range(1, after));
        }
    }

    @Test
    void aPublisherClosedWhileTheBrokerIsAwayStopsWithoutItAndTheNextStartPublishesTheRest() throws Exception {
        String brokers = broker.servers();
        String topic = "changes-closed-in-outage";
        Workload workload = new Workload(7);
        BrokerServer server = broker.embedded().getCluster().brokers().values().iterator().next();
        try (GraphDatabase db = GraphDatabase.open(new DatabaseConfig(WalConfig.builder(dir.resolve("graph"))
                .syncMode(SyncMode.GROUP).segmentSize(64 * 1024).maxRecordSize(16 * 1024).build(), 0, 1))) {
            KafkaChangePublisher publisher = publisher(db, brokers, topic);
            publisher.start();
            workload.commit(db, 20);
            long before = db.wal().flush();
            Await.until("LSN " + before + " is published", () -> publisher.status().publishedLsn() == before);

            server.shutdown();
            server.awaitShutdown();
            try {
                workload.commit(db, 50);
                db.wal().flush();
                Await.until("a send waits for the broker", () -> publisher.status().unacknowledgedSince() != null);
                // A send is parked in the open Kafka transaction; close must not wait for the broker to return.
                Thread closer = new Thread(publisher::close, "test-closer");
                closer.start();
                closer.join(Await.BOUND.toMillis());
                assertThat(closer.isAlive()).as("close returned while the broker was away").isFalse();
                assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().startsWith("graphwal-kafka"));
            } finally {
                server.startup();
            }

            long last = db.wal().flush();
            try (KafkaChangePublisher next = publisher(db, brokers, topic)) {
                next.start();
                Await.until("LSN " + last + " is published", () -> next.status().publishedLsn() == last);
                assertThat(Topics.lsns(Topics.readThrough(brokers, topic, last))).as("each LSN exactly once, in order")
                        .isEqualTo(Topics.range(1, last));
            }
        }
    }

    private static KafkaChangePublisher publisher(GraphDatabase db, String brokers, String topic) {
        return new KafkaChangePublisher(db, Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers),
                Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers), topic, ChangeEventFormat.BINARY);
    }
}
