package io.graphwal.kafka;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.header.Header;

/**
 * Reads the end of the publishing partition to learn the last LSN it holds, checking on the way that the
 * records read belong to this graph and follow each other without a gap.
 */
final class TopicTail {

    /** How far back from the end to look for the last record, past any control records at the very end. */
    private static final int LOOK_BACK = 64;

    private final Consumer<String, byte[]> consumer;
    private final TopicPartition partition;
    private final String graphId;
    private final Duration timeout;

    TopicTail(Consumer<String, byte[]> consumer, String topic, String graphId, Duration timeout) {
        this.consumer = consumer;
        this.partition = new TopicPartition(topic, 0);
        this.graphId = graphId;
        this.timeout = timeout;
    }

    /**
     * Returns the last LSN the partition holds, or 0 if it has never held a record.
     *
     * @param checkFromOffset the first offset whose records must continue the LSNs without a gap, or -1 to
     *     read only the last record
     * @param expectedLsn the LSN the record at {@code checkFromOffset} must have (ignored when it is -1)
     * @throws PublishingRefusedException if the partition holds another graph's records, a record without an
     *     LSN, a gap, or nothing any more although it once held records
     * @throws TimeoutException if the broker does not answer within the timeout
     */
    long lastLsn(long checkFromOffset, long expectedLsn) {
        List<TopicPartition> partitions = List.of(partition);
        consumer.assign(partitions);
        long begin = consumer.beginningOffsets(partitions, timeout).get(partition);
        long end = consumer.endOffsets(partitions, timeout).get(partition);
        if (checkFromOffset >= 0 && end < checkFromOffset) {
            throw new PublishingRefusedException("Topic '" + partition.topic() + "' now ends at offset " + end
                    + ", but the broker had acknowledged LSN " + (expectedLsn - 1) + " at offset "
                    + (checkFromOffset - 1) + ": it lost acknowledged records (the topic was deleted or truncated). "
                    + "Publishing stopped so as not to leave a gap; point graphwal.kafka.topic at a new topic, which "
                    + "is published from the log's oldest LSN.");
        }
        if (end == 0) {
            return 0;
        }
        if (begin >= end) {
            throw new PublishingRefusedException("Topic '" + partition.topic() + "' once held records (its end "
                    + "offset is " + end + ") but retention has deleted all of them, so the last LSN published "
                    + "cannot be known. Give the topic unlimited retention (retention.ms=-1), then point graphwal.kafka.topic at a new "
                    + "topic or restore the deleted records.");
        }
        if (checkFromOffset >= 0) {
            long last = read(Math.max(begin, checkFromOffset), end, expectedLsn);
            return last < 0 ? expectedLsn - 1 : last;
        }
        long from = end - 1;
        while (true) {
            long last = read(from, end, -1);
            if (last >= 0) {
                return last;
            }
            if (from == begin) {
                throw new PublishingRefusedException("Topic '" + partition.topic() + "' holds no GraphWAL record "
                        + "between offsets " + begin + " and " + end + "; it must be written only by GraphWAL.");
            }
            from = Math.max(begin, from - LOOK_BACK); // only control records at the end: look further back
        }
    }

    /**
     * Reads the records from {@code from} up to {@code end}, each LSN following the one before (the first
     * being {@code expected} unless that is -1), and returns the last LSN read, or -1 if there was none.
     */
    private long read(long from, long end, long expected) {
        consumer.seek(partition, from);
        long last = -1;
        long deadline = System.nanoTime() + timeout.toNanos();
        while (consumer.position(partition, timeout) < end) {
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("Reading the end of topic '" + partition.topic() + "' took longer than "
                        + timeout);
            }
            for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200)).records(partition)) {
                if (record.offset() >= end) {
                    break;
                }
                long lsn = check(record);
                if (expected >= 0 && lsn != expected) {
                    throw new PublishingRefusedException("Topic '" + partition.topic() + "' holds LSN " + lsn
                            + " at offset " + record.offset() + " where LSN " + expected + " belongs: a gap or a "
                            + "repeat in the published changes. Publishing stopped so as not to add to it; "
                            + "republishing the log into a new topic repairs it.");
                }
                expected = lsn + 1;
                last = lsn;
            }
        }
        return last;
    }

    private long check(ConsumerRecord<String, byte[]> record) {
        if (!graphId.equals(record.key())) {
            throw new PublishingRefusedException("Topic '" + partition.topic() + "' holds changes of graph '"
                    + record.key() + "' (offset " + record.offset() + "), but this graph is '" + graphId + "'. Each "
                    + "graph publishes to a topic of its own: set graphwal.kafka.topic to another topic.");
        }
        Header header = record.headers().lastHeader(KafkaChangePublisher.LSN_HEADER);
        try {
            return Long.parseLong(new String(header.value(), StandardCharsets.US_ASCII));
        } catch (RuntimeException e) {
            throw new PublishingRefusedException("The record at offset " + record.offset() + " of topic '"
                    + partition.topic() + "' has no valid '" + KafkaChangePublisher.LSN_HEADER + "' header; the topic "
                    + "must be written only by GraphWAL.");
        }
    }
}
