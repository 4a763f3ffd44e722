package io.graphwal.kafka;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * One KRaft broker in the test JVM per test class, started before its first test and stopped after its last
 * without leaving system properties behind. Register it as a static field with {@code @RegisterExtension}.
 */
final class TestBroker implements BeforeAllCallback, AfterAllCallback {

    private EmbeddedKafkaKraftBroker broker;

    @Override
    public void beforeAll(ExtensionContext context) {
        broker = LocalKafkaBroker.embedded(0);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (broker != null) {
            LocalKafkaBroker.stop(broker);
            broker = null;
        }
    }

    /** @return what to give {@code bootstrap.servers} */
    String servers() {
        return embedded().getBrokersAsString();
    }

    /** @return the running broker, for a test that stops and starts its server */
    EmbeddedKafkaKraftBroker embedded() {
        if (broker == null) {
            throw new IllegalStateException("The test broker runs only between the class's first and last test");
        }
        return broker;
    }
}
