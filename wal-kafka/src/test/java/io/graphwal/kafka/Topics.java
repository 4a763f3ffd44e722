package io.graphwal.kafka;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads a whole topic partition back, as a consumer of the feed would (committed records only), for the tests' checks. */
final class Topics {

    private Topics() {
    }

    static List<ConsumerRecord<String, byte[]>> readAll(String brokers, String topic) {
        TopicPartition partition = new TopicPartition(topic, 0);
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(
                Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers,
                        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
            long deadline = System.nanoTime() + Await.BOUND.toNanos();
            while (consumer.position(partition) < end) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("could not read topic " + topic + " to offset " + end);
                }
                consumer.poll(Duration.ofMillis(200)).records(partition).forEach(records::add);
            }
            return records;
        }
    }

    /**
     * Reads the whole partition once it shows {@code lsn}: a Kafka transaction is committed before the broker has
     * written the marker that makes it visible to a committed-only reader, so right after the publisher reports
     * an LSN published, a reader may not see it yet.
     */
    static List<ConsumerRecord<String, byte[]>> readThrough(String brokers, String topic, long lsn) {
        long deadline = System.nanoTime() + Await.BOUND.toNanos();
        while (true) {
            List<ConsumerRecord<String, byte[]>> records = readAll(brokers, topic);
            if ((!records.isEmpty() && lsn(records.get(records.size() - 1)) >= lsn) || System.nanoTime() > deadline) {
                return records;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for LSN " + lsn + " in topic " + topic, e);
            }
        }
    }

    static List<Long> lsns(List<ConsumerRecord<String, byte[]>> records) {
        return records.stream().map(Topics::lsn).toList();
    }

    static long lsn(ConsumerRecord<String, byte[]> record) {
        return Long.parseLong(new String(record.headers().lastHeader("lsn").value(), StandardCharsets.US_ASCII));
    }

    static long lastLsn(String brokers, String topic) {
        List<ConsumerRecord<String, byte[]>> records = readAll(brokers, topic);
        return records.isEmpty() ? 0 : lsn(records.get(records.size() - 1));
    }

    static List<Long> range(long from, long to) {
        List<Long> lsns = new ArrayList<>();
        for (long lsn = from; lsn <= to; lsn++) {
            lsns.add(lsn);
        }
        return lsns;
    }
}
