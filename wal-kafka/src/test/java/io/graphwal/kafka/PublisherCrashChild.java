package io.graphwal.kafka;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

import io.graphwal.replay.DatabaseConfig;
import io.graphwal.replay.GraphDatabase;
import io.graphwal.wal.SyncMode;
import io.graphwal.wal.WalConfig;

/**
 * The process {@link PublisherCrashLoopTest} kills: it opens the graph, starts publishing and commits until it
 * is killed (or a bound is reached), each commit durable before the next.
 */
public final class PublisherCrashChild {

    private PublisherCrashChild() {
    }

    /**
     * Runs the child.
     *
     * @param args the data directory, the broker list and the topic
     */
    public static void main(String[] args) {
        Path directory = Path.of(args[0]);
        String brokers = args[1];
        GraphDatabase db = GraphDatabase.open(new DatabaseConfig(WalConfig.builder(directory)
                .syncMode(SyncMode.PER_COMMIT).segmentSize(64 * 1024).maxRecordSize(16 * 1024).build(), 500, 1));
        KafkaChangePublisher publisher = new KafkaChangePublisher(db,
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers),
                Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers), args[2], ChangeEventFormat.BINARY);
        publisher.start();
        for (int i = 0; i < 200_000; i++) {
            long n = i;
            db.commit(tx -> tx.createNode(List.of("Crash"), Map.of("n", n)));
        }
        publisher.close();
        db.close();
    }
}
