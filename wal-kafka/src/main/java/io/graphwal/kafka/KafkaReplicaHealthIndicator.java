package io.graphwal.kafka;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Health of the read replica: UP while it follows the topic; DOWN once it stopped (a gap, another graph's
 * records, a record it cannot apply: the detail says which); UNKNOWN while starting or while the broker
 * cannot be reached, since it then cannot tell how far behind it is (it keeps serving reads, and the lag
 * details say what it last knew). UNKNOWN ranks below UP, so an outage alone does not take the application's
 * aggregate health down.
 */
class KafkaReplicaHealthIndicator implements HealthIndicator {

    private final KafkaReplicaFollower follower;

    KafkaReplicaHealthIndicator(KafkaReplicaFollower follower) {
        this.follower = follower;
    }

    @Override
    public Health health() {
        KafkaReplicaFollower.Detail detail = follower.detail();
        Health.Builder health = switch (detail.state()) {
            case FOLLOWING -> Health.up();
            case STARTING, RETRYING -> Health.unknown();
            case STOPPED, CLOSED -> Health.down();
        };
        health.withDetail("state", detail.state().name().toLowerCase()).withDetail("topic", detail.topic())
                .withDetail("appliedLsn", detail.appliedLsn()).withDetail("lagRecords", detail.lagRecords())
                .withDetail("lagMillis", detail.lagMillis());
        if (detail.reason() != null) {
            health.withDetail(detail.state() == KafkaReplicaFollower.State.STOPPED ? "reason" : "lastError",
                    detail.reason()).withDetail("at", detail.reasonAt().toString());
        }
        return health.build();
    }
}
