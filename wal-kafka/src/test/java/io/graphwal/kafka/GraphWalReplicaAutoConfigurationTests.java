package io.graphwal.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.io.support.SpringFactoriesLoader;

import io.graphwal.autoconfigure.GraphWalAutoConfiguration;
import io.graphwal.autoconfigure.GraphWalReplica;
import io.graphwal.autoconfigure.InvalidGraphWalPropertyException;
import io.graphwal.autoconfigure.actuate.GraphWalEndpointAutoConfiguration;
import io.graphwal.autoconfigure.actuate.WalEndpoint;
import io.graphwal.replay.DatabaseConfig;
import io.graphwal.replay.GraphDatabase;
import io.graphwal.replay.ReadOnlyReplicaException;
import io.graphwal.wal.SyncMode;
import io.graphwal.wal.WalConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * {@code graphwal.replica.enabled=true} makes the auto-configured graph a read replica of the topic, with its
 * health, its {@code replica} status entry and its gauges; with publishing also on, startup is refused.
 */
class GraphWalReplicaAutoConfigurationTests {

    @RegisterExtension
    static final TestBroker broker = new TestBroker();

    @TempDir
    Path dir;

    private final ApplicationContextRunner runner = new ApplicationContextRunner().withConfiguration(
            AutoConfigurations.of(GraphWalAutoConfiguration.class, KafkaAutoConfiguration.class,
                    GraphWalKafkaAutoConfiguration.class, GraphWalReplicaAutoConfiguration.class,
                    GraphWalEndpointAutoConfiguration.class))
            .withPropertyValues("management.endpoints.web.exposure.include=wal");

    private ApplicationContextRunner replica(String topic) {
        return runner.withPropertyValues("graphwal.directory=" + dir.resolve("replica"), "graphwal.replica.enabled=true",
                "graphwal.kafka.topic=" + topic, "spring.kafka.bootstrap-servers=" + broker.servers());
    }

    @Test
    void aGraphIsNoReplicaUntilConfiguredAndItsStatusSaysSo() {
        runner.withPropertyValues("graphwal.directory=" + dir.resolve("graph"),
                "spring.kafka.bootstrap-servers=" + broker.servers()).run(context -> {
                    assertThat(context).hasSingleBean(GraphDatabase.class).doesNotHaveBean(KafkaReplicaFollower.class);
                    assertThat(context.getBean(GraphDatabase.class).isReplica()).isFalse();
                    assertThat(context.getBean(WalEndpoint.class).status().replica()).isNull();
                });
        assertThat(new GraphWalReplicaProperties().isEnabled()).isFalse();
        assertThat(new GraphWalReplicaProperties().getBootstrapTimeout()).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void aReplicaFollowsTheTopicWithHealthStatusAndGauges() {
        String topic = "replica-context";
        Workload workload = new Workload(9);
        long last;
        try (GraphDatabase leader = GraphDatabase.open(new DatabaseConfig(WalConfig.builder(dir.resolve("leader"))
                .syncMode(SyncMode.GROUP).build(), 0, 1));
                KafkaChangePublisher publisher = new KafkaChangePublisher(leader,
                        Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.servers()),
                        Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.servers()), topic,
                        ChangeEventFormat.JSON)) {
            publisher.start();
            workload.commit(leader, 30);
            last = leader.wal().flush();
            Await.until("LSN " + last + " is published", () -> publisher.status().publishedLsn() == last);
        }
        replica(topic).withPropertyValues("graphwal.replica.bootstrap-timeout=30s")
                .withBean(MeterRegistry.class, SimpleMeterRegistry::new).run(context -> {
                    assertThat(context).hasSingleBean(KafkaReplicaFollower.class)
                            .hasSingleBean(KafkaReplicaHealthIndicator.class).hasSingleBean(KafkaReplicaMetrics.class)
                            .hasBean("replicaHealthIndicator").doesNotHaveBean(KafkaChangePublisher.class);
                    assertThat(context.getBean(GraphWalReplicaProperties.class).getBootstrapTimeout())
                            .isEqualTo(Duration.ofSeconds(30));
                    GraphDatabase db = context.getBean(GraphDatabase.class);
                    assertThat(db.isReplica()).isTrue();
                    Await.until("the replica applied LSN " + last, () -> db.wal().appendedLsn() == last);
                    KafkaReplicaFollower follower = context.getBean(KafkaReplicaFollower.class);
                    Await.until("the follower sees it is caught up", () -> follower.status().lagRecords() == 0);
                    Health health = context.getBean(KafkaReplicaHealthIndicator.class).health();
                    assertThat(health.getStatus()).isEqualTo(Status.UP);
                    assertThat(health.getDetails()).containsEntry("appliedLsn", last).containsEntry("state", "following");
                    WalEndpoint.ReplicaDescriptor status = context.getBean(WalEndpoint.class).status().replica();
                    assertThat(status).isEqualTo(new WalEndpoint.ReplicaDescriptor("kafka:" + topic, last, 0, 0));
                    assertThat(context.getBean(GraphWalReplica.class)).isSameAs(follower);
                    MeterRegistry registry = context.getBean(MeterRegistry.class);
                    context.getBean(KafkaReplicaMetrics.class).bindTo(registry);
                    assertThat(registry.get("graphwal.replica.lsn").gauge().value()).isEqualTo(last);
                    assertThat(registry.get("graphwal.replica.lag").gauge().value()).isZero();
                    assertThat(db.read(workload::dump)).isNotEmpty();
                    org.assertj.core.api.Assertions.assertThatThrownBy(
                            () -> db.commit(tx -> tx.createNode(List.of("X"), Map.of())))
                            .isInstanceOf(ReadOnlyReplicaException.class);
                });
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().startsWith("graphwal-"));
    }

    @Test
    void anEmptyReplicaWhoseTopicHoldsNothingFailsStartupWithAFailureAnalysis() {
        replica("replica-nothing-published").withPropertyValues("graphwal.replica.bootstrap-timeout=1s")
                .run(context -> {
                    assertThat(context).hasFailed();
                    List<FailureAnalysis> analyses = analyses(context.getStartupFailure());
                    assertThat(analyses).anySatisfy(analysis -> {
                        assertThat(analysis.getDescription()).contains("could not bootstrap the read replica")
                                .contains("'replica-nothing-published'").contains("no first record");
                        assertThat(analysis.getAction()).contains("graphwal.replica.bootstrap-timeout")
                                .contains("graphwal.archive");
                    });
                });
        assertThat(dir.resolve("replica")).doesNotExist();
    }

    private static List<FailureAnalysis> analyses(Throwable failure) {
        return SpringFactoriesLoader.forDefaultResourceLocation()
                .load(FailureAnalyzer.class, SpringFactoriesLoader.ArgumentResolver.none(), (type, name, e) -> {
                    // analyzers that need a bean factory are not the ones these tests are about
                }).stream().map(analyzer -> analyzer.analyze(failure)).filter(Objects::nonNull).toList();
    }

    @Test
    void aReplicaThatWouldAlsoPublishIsRefusedAtStartupWithAFailureAnalysis() {
        replica("replica-refused").withPropertyValues("graphwal.kafka.publish=true").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().isInstanceOf(InvalidGraphWalPropertyException.class)
                    .hasMessageContaining("graphwal.kafka.publish");
            List<FailureAnalysis> analyses = analyses(context.getStartupFailure());
            assertThat(analyses).anySatisfy(analysis -> {
                assertThat(analysis.getDescription()).contains("graphwal.kafka.publish");
                assertThat(analysis.getAction()).contains("does not republish");
            });
        });
    }
}
