package io.graphwal.kafka;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.ConsumerFactory;

import io.graphwal.autoconfigure.GraphWalAutoConfiguration;
import io.graphwal.autoconfigure.InvalidGraphWalPropertyException;
import io.graphwal.replay.GraphDatabase;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Auto-configuration that makes this instance a read replica of the graph published to
 * {@code graphwal.kafka.topic} when {@code graphwal.replica.enabled=true}: a {@link KafkaReplicaFollower}, which
 * the {@link GraphDatabase} is opened with (so it refuses commits), started with the context, with its
 * {@code replica} health indicator and metrics where Actuator and Micrometer are present.
 */
@AutoConfiguration(after = {GraphWalAutoConfiguration.class, KafkaAutoConfiguration.class})
@ConditionalOnClass({ConsumerFactory.class, GraphDatabase.class})
@ConditionalOnBooleanProperty("graphwal.replica.enabled")
@ConditionalOnBean({GraphDatabase.class, ConsumerFactory.class})
@EnableConfigurationProperties({GraphWalReplicaProperties.class, GraphWalKafkaProperties.class})
public final class GraphWalReplicaAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    KafkaReplicaFollower kafkaReplicaFollower(GraphWalReplicaProperties replica, GraphWalKafkaProperties kafka,
            ConsumerFactory<?, ?> consumerFactory) {
        if (kafka.isPublish()) {
            // A replica's log mirrors the leader's; publishing it would put a second copy of every transaction
            // in front of consumers, or into the very topic it reads.
            throw new InvalidGraphWalPropertyException("graphwal.kafka.publish", true, "false on a read replica "
                    + "(graphwal.replica.enabled=true): a replica does not republish; consumers read the leader's "
                    + "topic");
        }
        String topic = GraphWalKafkaAutoConfiguration.checkedTopic(kafka.getTopic());
        if (replica.getBootstrapTimeout() == null || replica.getBootstrapTimeout().isNegative()
                || replica.getBootstrapTimeout().isZero()) {
            throw new InvalidGraphWalPropertyException("graphwal.replica.bootstrap-timeout",
                    replica.getBootstrapTimeout(), "a positive duration, e.g. 60s");
        }
        return new KafkaReplicaFollower(consumerFactory.getConfigurationProperties(), topic,
                replica.getBootstrapTimeout());
    }

    @Bean
    @ConditionalOnMissingBean
    KafkaReplicaLifecycle kafkaReplicaLifecycle(KafkaReplicaFollower follower, GraphDatabase graphDatabase) {
        return new KafkaReplicaLifecycle(follower, graphDatabase);
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(HealthIndicator.class)
    static class HealthConfiguration {

        @Bean
        @ConditionalOnMissingBean(name = "replicaHealthIndicator")
        KafkaReplicaHealthIndicator replicaHealthIndicator(KafkaReplicaFollower follower) {
            return new KafkaReplicaHealthIndicator(follower);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(MeterRegistry.class)
    static class MetricsConfiguration {

        @Bean
        @ConditionalOnMissingBean
        KafkaReplicaMetrics kafkaReplicaMetrics(KafkaReplicaFollower follower) {
            return new KafkaReplicaMetrics(follower);
        }
    }
}
