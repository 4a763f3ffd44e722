package io.graphwal.kafka;

import java.time.Duration;
import java.time.Instant;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

import io.graphwal.replay.GraphDatabase;

/**
 * Health of the Kafka publisher: UP while the broker acknowledges what is sent, DOWN while it cannot be
 * reached or has not acknowledged a record for {@link #STALLED} (an outage; commits go on and publishing
 * resumes by itself) and once publishing stopped for good (the detail says why), UNKNOWN while starting.
 */
class KafkaPublisherHealthIndicator implements HealthIndicator {

    /** How long a record may wait for the broker's acknowledgement before health goes DOWN. */
    static final Duration STALLED = KafkaChangePublisher.STALL_WARNING;

    private final KafkaChangePublisher publisher;
    private final GraphDatabase database;

    KafkaPublisherHealthIndicator(KafkaChangePublisher publisher, GraphDatabase database) {
        this.publisher = publisher;
        this.database = database;
    }

    @Override
    public Health health() {
        KafkaChangePublisher.Status status = publisher.status();
        Instant waiting = status.unacknowledgedSince();
        boolean stalled = waiting != null && waiting.plus(STALLED).isBefore(Instant.now());
        Health.Builder health = switch (status.state()) {
            case PUBLISHING -> stalled ? Health.down() : Health.up();
            case STARTING -> Health.unknown();
            case RETRYING, FAILED, STOPPED -> Health.down();
        };
        long durable = database.wal().durableLsn();
        health.withDetail("state", status.state().name().toLowerCase()).withDetail("topic", status.topic())
                .withDetail("publishedLsn", status.publishedLsn()).withDetail("durableLsn", durable);
        if (status.publishedLsn() >= 0) {
            health.withDetail("lagRecords", Math.max(0, durable - status.publishedLsn()));
        }
        if (waiting != null) {
            health.withDetail("unacknowledgedSince", waiting.toString());
        }
        if (status.lastError() != null) {
            health.withDetail("lastError", status.lastError())
                    .withDetail("lastErrorAt", status.lastErrorAt().toString());
        }
        return health.build();
    }
}
