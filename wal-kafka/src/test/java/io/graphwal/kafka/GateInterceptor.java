package io.graphwal.kafka;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.producer.ProducerInterceptor;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;

/**
 * A producer interceptor that parks the publisher's send of one chosen LSN until the test opens the gate, so
 * a test can stop the publisher at exactly that point. Kafka creates interceptors from their class name, hence
 * the static gate.
 */
public class GateInterceptor implements ProducerInterceptor<String, byte[]> {

    private static volatile long blockAt = -1;
    private static volatile CountDownLatch reached = new CountDownLatch(1);
    private static volatile CountDownLatch release = new CountDownLatch(1);

    /** Arms the gate at {@code lsn}. */
    static void arm(long lsn) {
        reached = new CountDownLatch(1);
        release = new CountDownLatch(1);
        blockAt = lsn;
    }

    /** Waits until the send of the armed LSN is parked at the gate. */
    static void awaitReached() throws InterruptedException {
        if (!reached.await(Await.BOUND.toSeconds(), TimeUnit.SECONDS)) {
            throw new AssertionError("the publisher never reached LSN " + blockAt);
        }
    }

    /** Lets the parked send go on and disarms the gate. */
    static void open() {
        blockAt = -1;
        release.countDown();
    }

    @Override
    public ProducerRecord<String, byte[]> onSend(ProducerRecord<String, byte[]> record) {
        Header header = record.headers().lastHeader(KafkaChangePublisher.LSN_HEADER);
        long lsn = Long.parseLong(new String(header.value(), StandardCharsets.US_ASCII));
        if (lsn == blockAt) {
            CountDownLatch opened = release;
            reached.countDown();
            try {
                if (!opened.await(Await.BOUND.toSeconds(), TimeUnit.SECONDS)) {
                    throw new AssertionError("the gate at LSN " + lsn + " was never opened");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return record;
    }

    @Override
    public void onAcknowledgement(RecordMetadata metadata, Exception exception) {
    }

    @Override
    public void close() {
    }

    @Override
    public void configure(Map<String, ?> configs) {
    }
}
