package io.graphwal.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.core.io.support.SpringFactoriesLoader;

import io.graphwal.autoconfigure.GraphWalAutoConfiguration;
import io.graphwal.autoconfigure.InvalidGraphWalPropertyException;
import io.graphwal.replay.GraphDatabase;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

class GraphWalKafkaAutoConfigurationTests {

    @RegisterExtension
    static final TestBroker broker = new TestBroker();

    @TempDir
    Path dir;

    private final ApplicationContextRunner runner = new ApplicationContextRunner().withConfiguration(
            AutoConfigurations.of(GraphWalAutoConfiguration.class, KafkaAutoConfiguration.class,
                    GraphWalKafkaAutoConfiguration.class));

    private ApplicationContextRunner publishing(String topic) {
        return runner.withPropertyValues("graphwal.directory=" + dir.resolve("graph"), "graphwal.kafka.publish=true",
                "graphwal.kafka.topic=" + topic, "spring.kafka.bootstrap-servers=" + broker.servers());
    }

    @Test
    void publishingIsOffUntilConfigured() {
        runner.withPropertyValues("graphwal.directory=" + dir.resolve("graph"),
                "spring.kafka.bootstrap-servers=" + broker.servers()).run(context -> {
                    assertThat(context).hasSingleBean(GraphDatabase.class)
                            .doesNotHaveBean(KafkaChangePublisher.class);
                });
    }

    @Test
    void publishesInTheDocumentedDefaultsWithHealthAndMetrics() {
        publishing("changes-defaults").withBean(MeterRegistry.class, SimpleMeterRegistry::new).run(context -> {
            assertThat(context).hasSingleBean(KafkaChangePublisher.class)
                    .hasSingleBean(KafkaPublisherHealthIndicator.class).hasSingleBean(KafkaPublisherMetrics.class);
            assertThat(context.getBean(GraphWalKafkaProperties.class).getFormat()).isEqualTo(ChangeEventFormat.JSON);
            assertThat(new GraphWalKafkaProperties().getTopic()).isEqualTo("graphwal.changes");
            GraphDatabase db = context.getBean(GraphDatabase.class);
            db.commit(tx -> tx.createNode(List.of("Person"), java.util.Map.of("name", "Ada")));
            long last = db.wal().flush();
            KafkaChangePublisher publisher = context.getBean(KafkaChangePublisher.class);
            Await.until("LSN " + last + " is published", () -> publisher.status().publishedLsn() == last);
            Health health = context.getBean(KafkaPublisherHealthIndicator.class).health();
            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(health.getDetails()).containsEntry("publishedLsn", last).containsEntry("lagRecords", 0L);
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            context.getBean(KafkaPublisherMetrics.class).bindTo(registry);
            assertThat(registry.get("graphwal.kafka.lsn").gauge().value()).isEqualTo(last);
            assertThat(registry.get("graphwal.kafka.published").functionCounter().count()).isEqualTo(last);
            String json = new String(Topics.readThrough(broker.servers(), "changes-defaults", last).get(0)
                    .value(), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(json).startsWith("{\"version\":1,\"graphId\":\"" + db.wal().graphId() + "\",\"lsn\":1,");
        });
    }

    /** Opens the gate as the context begins to close, so the parked send goes on into the shutdown. */
    @Configuration(proxyBeanMethods = false)
    static class OpenTheGateOnClose {

        @Bean
        ApplicationListener<ContextClosedEvent> openTheGate() {
            return event -> GateInterceptor.open();
        }
    }

    @Test
    void restartingTheContextMidStreamPublishesEachTransactionExactlyOnce() throws InterruptedException {
        String topic = "changes-restarts";
        Workload workload = new Workload(4);
        for (int round = 0; round < 3; round++) {
            int blockAfter = 5 + round * 4;
            publishing(topic).withUserConfiguration(OpenTheGateOnClose.class)
                    .withPropertyValues("spring.kafka.producer.properties.interceptor.classes="
                            + GateInterceptor.class.getName())
                    .run(context -> {
                        GraphDatabase db = context.getBean(GraphDatabase.class);
                        GateInterceptor.arm(db.wal().appendedLsn() + blockAfter);
                        workload.commit(db, 25);
                        db.wal().flush();
                        GateInterceptor.awaitReached();
                        // Leaving the run closes the context with the publisher parked inside that send.
                    });
        }
        publishing(topic).run(context -> {
            GraphDatabase db = context.getBean(GraphDatabase.class);
            long durable = db.wal().flush();
            KafkaChangePublisher publisher = context.getBean(KafkaChangePublisher.class);
            Await.until("the topic catches up", () -> publisher.status().publishedLsn() == durable);
            List<ConsumerRecord<String, byte[]>> records = Topics.readThrough(broker.servers(), topic, durable);
            assertThat(Topics.lsns(records)).as("each LSN exactly once, in order").isEqualTo(Topics.range(1, durable));
        });
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().startsWith("graphwal-"));
    }

    @Test
    void anInvalidTopicStopsStartupNamingTheKey() {
        publishing("not a topic!").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().isInstanceOf(InvalidGraphWalPropertyException.class)
                    .hasMessageContaining("graphwal.kafka.topic").hasMessageContaining("not a topic!");
            // The analyzers registered for the application say what is wrong and what to do.
            List<FailureAnalysis> analyses = SpringFactoriesLoader.forDefaultResourceLocation()
                    .load(FailureAnalyzer.class, SpringFactoriesLoader.ArgumentResolver.none(), (type, name, e) -> {
                        // analyzers that need a bean factory are not the ones this test is about
                    }).stream().map(analyzer -> analyzer.analyze(context.getStartupFailure()))
                    .filter(Objects::nonNull).toList();
            assertThat(analyses).anySatisfy(analysis -> {
                assertThat(analysis.getDescription()).contains("graphwal.kafka.topic").contains("not a topic!");
                assertThat(analysis.getAction()).contains("Kafka topic name");
            });
        });
    }

    @Test
    void anUnknownFormatStopsStartupNamingTheKey() {
        publishing("changes-format").withPropertyValues("graphwal.kafka.format=xml").run(context -> {
            assertThat(context).hasFailed();
            Throwable failure = context.getStartupFailure();
            while (failure != null && !(failure instanceof BindException)) {
                failure = failure.getCause();
            }
            assertThat(failure).as("a binding failure (which Spring Boot's analyzer reports with the valid values)")
                    .isInstanceOf(BindException.class);
            assertThat(((BindException) failure).getName()).hasToString("graphwal.kafka.format");
            assertThat(failure.getCause()).hasMessageContaining("xml");
        });
    }
}
