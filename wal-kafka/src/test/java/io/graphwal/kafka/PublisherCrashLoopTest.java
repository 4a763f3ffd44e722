package io.graphwal.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.graphwal.replay.DatabaseConfig;
import io.graphwal.replay.GraphDatabase;
import io.graphwal.wal.SyncMode;
import io.graphwal.wal.WalConfig;
import io.graphwal.wal.WalReader;

/**
 * A publishing process killed with SIGKILL in the middle of its stream, again and again: the topic ends up
 * holding every durable transaction exactly once, in order, and byte for byte as logged. Where each kill lands
 * is left to chance on purpose; the outcome must be the same wherever it lands.
 */
class PublisherCrashLoopTest {

    private static final int CYCLES = Integer.getInteger("graphwal.kafka.crashCycles",
            Boolean.getBoolean("graphwal.test.long") ? 20 : 3);
    private static final String TOPIC = "changes-crash-loop";

    @RegisterExtension
    static final TestBroker broker = new TestBroker();

    @TempDir
    Path dir;

    @Test
    void theTopicHoldsEveryDurableTransactionExactlyOnceAfterRepeatedKills() throws Exception {
        String brokers = broker.servers();
        Path graph = dir.resolve("graph");
        for (int cycle = 0; cycle < CYCLES; cycle++) {
            long before = Topics.lastLsn(brokers, TOPIC);
            Process child = start(graph, brokers, cycle);
            try {
                long wanted = before + 50 + 37L * cycle;
                Await.until("the child publishes past LSN " + wanted + " (cycle " + cycle + ")",
                        () -> !child.isAlive() || Topics.lastLsn(brokers, TOPIC) >= wanted);
                assertThat(child.isAlive()).as("the child is still running in cycle %d", cycle).isTrue();
            } finally {
                child.toHandle().destroyForcibly();
                assertThat(child.waitFor(Await.BOUND.toSeconds(), TimeUnit.SECONDS)).isTrue();
            }
        }
        try (GraphDatabase db = GraphDatabase.open(new DatabaseConfig(WalConfig.builder(graph)
                .syncMode(SyncMode.PER_COMMIT).segmentSize(64 * 1024).maxRecordSize(16 * 1024).build(), 0, 1));
                KafkaChangePublisher publisher = new KafkaChangePublisher(db,
                        Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers),
                        Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers), TOPIC, ChangeEventFormat.BINARY)) {
            publisher.start();
            long durable = db.wal().durableLsn();
            Await.until("the last publisher catches up with LSN " + durable,
                    () -> publisher.status().publishedLsn() == durable);
            List<ConsumerRecord<String, byte[]>> records = Topics.readThrough(brokers, TOPIC, durable);
            assertThat(Topics.lsns(records)).as("each LSN exactly once, in order").isEqualTo(Topics.range(1, durable));
            List<String> logged = new ArrayList<>();
            try (WalReader reader = db.wal().reader(db.wal().firstLsn())) {
                while (reader.next()) {
                    logged.add(base64(reader.payload()));
                }
            }
            List<String> published = records.stream().skip(db.wal().firstLsn() - 1)
                    .map(r -> base64(ByteBuffer.wrap(r.value()))).toList();
            assertThat(published).as("the values are the logged payloads").isEqualTo(logged);
        }
    }

    private Process start(Path graph, String brokers, int cycle) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                PublisherCrashChild.class.getName(), graph.toString(), brokers, TOPIC)
                .redirectOutput(Redirect.DISCARD).redirectError(dir.resolve("child-" + cycle + ".err").toFile())
                .start();
    }

    private static String base64(ByteBuffer payload) {
        byte[] bytes = new byte[payload.remaining()];
        payload.get(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }
}
