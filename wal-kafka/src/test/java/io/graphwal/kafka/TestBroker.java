package io.graphwal.kafka;

import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/** One KRaft broker in the test JVM per test class, started and stopped without leaving system properties. */
final class TestBroker {

    private TestBroker() {
    }

    static EmbeddedKafkaKraftBroker start() {
        return LocalKafkaBroker.embedded(0);
    }

    static void stop(EmbeddedKafkaKraftBroker broker) {
        LocalKafkaBroker.stop(broker);
    }
}
