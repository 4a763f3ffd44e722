package io.graphwal.kafka;

import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/** One KRaft broker in the test JVM per test class, started and stopped without leaving system properties. */
final class TestBroker {

    private TestBroker() {
    }

    static EmbeddedKafkaKraftBroker start() {
        EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, 1);
        // The publisher writes in transactions; one broker cannot hold the transaction log's default three copies.
        broker.brokerProperty("transaction.state.log.replication.factor", "1");
        broker.brokerProperty("transaction.state.log.min.isr", "1");
        broker.afterPropertiesSet();
        return broker;
    }

    static void stop(EmbeddedKafkaKraftBroker broker) {
        broker.destroy();
        // The broker announces itself through these; later test classes must not find a stopped broker there.
        System.clearProperty(EmbeddedKafkaKraftBroker.SPRING_EMBEDDED_KAFKA_BROKERS);
        System.clearProperty("spring.kafka.bootstrap-servers");
    }
}
