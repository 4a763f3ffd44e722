package io.graphwal.kafka;

import io.graphwal.replay.GraphDatabase;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/** Publishing metrics: the LSN the broker has acknowledged, how far behind the log that is, and failures. */
class KafkaPublisherMetrics implements MeterBinder {

    private final KafkaChangePublisher publisher;
    private final GraphDatabase database;

    KafkaPublisherMetrics(KafkaChangePublisher publisher, GraphDatabase database) {
        this.publisher = publisher;
        this.database = database;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("graphwal.kafka.lsn", publisher, p -> Math.max(0, p.status().publishedLsn()))
                .description("The last LSN the Kafka broker acknowledged").register(registry);
        Gauge.builder("graphwal.kafka.lag", this, KafkaPublisherMetrics::lagRecords)
                .description("Durable transactions the Kafka broker has not acknowledged yet").baseUnit("records")
                .register(registry);
        FunctionCounter.builder("graphwal.kafka.published", publisher, KafkaChangePublisher::publishedCount)
                .description("Transactions the Kafka broker acknowledged").baseUnit("records").register(registry);
        FunctionCounter.builder("graphwal.kafka.failures", publisher, KafkaChangePublisher::failureCount)
                .description("Publishing failures: an unreachable broker, a refused record").register(registry);
    }

    private double lagRecords() {
        long published = publisher.status().publishedLsn();
        return published < 0 ? 0 : Math.max(0, database.wal().durableLsn() - published);
    }
}
