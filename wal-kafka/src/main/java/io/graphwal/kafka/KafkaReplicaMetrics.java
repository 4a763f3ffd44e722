package io.graphwal.kafka;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/** Replica metrics: the leader's LSN it has applied, and how far behind the leader it is in time. */
class KafkaReplicaMetrics implements MeterBinder {

    private final KafkaReplicaFollower follower;

    KafkaReplicaMetrics(KafkaReplicaFollower follower) {
        this.follower = follower;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("graphwal.replica.lsn", follower, f -> f.status().appliedLsn())
                .description("The leader's LSN of the last transaction the replica applied").register(registry);
        Gauge.builder("graphwal.replica.lag", follower, f -> f.status().lagMillis() / 1000.0)
                .description("How long ago the last applied transaction committed on the leader while more wait; "
                        + "0 when caught up").baseUnit("seconds").register(registry);
    }
}
