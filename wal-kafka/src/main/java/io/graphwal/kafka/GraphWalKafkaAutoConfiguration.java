package io.graphwal.kafka;

import java.util.regex.Pattern;

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
import org.springframework.kafka.core.ProducerFactory;

import io.graphwal.autoconfigure.GraphWalAutoConfiguration;
import io.graphwal.autoconfigure.InvalidGraphWalPropertyException;
import io.graphwal.replay.GraphDatabase;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Auto-configuration that publishes the {@link GraphDatabase}'s change feed to Kafka with a
 * {@link KafkaChangePublisher} when {@code graphwal.kafka.publish=true}, connected through the application's
 * {@code spring.kafka.*} producer and consumer settings, with its health indicator and metrics where Actuator
 * and Micrometer are present.
 */
@AutoConfiguration(after = {GraphWalAutoConfiguration.class, KafkaAutoConfiguration.class})
@ConditionalOnClass({ProducerFactory.class, GraphDatabase.class})
@ConditionalOnBooleanProperty("graphwal.kafka.publish")
@ConditionalOnBean({GraphDatabase.class, ProducerFactory.class, ConsumerFactory.class})
@EnableConfigurationProperties(GraphWalKafkaProperties.class)
public final class GraphWalKafkaAutoConfiguration {

    /** Kafka's own rule for topic names. */
    private static final Pattern LEGAL_TOPIC = Pattern.compile("[a-zA-Z0-9._-]{1,249}");

    @Bean
    @ConditionalOnMissingBean
    KafkaChangePublisher kafkaChangePublisher(GraphDatabase graphDatabase, GraphWalKafkaProperties properties,
            ProducerFactory<?, ?> producerFactory, ConsumerFactory<?, ?> consumerFactory) {
        String topic = checkedTopic(properties.getTopic());
        return new KafkaChangePublisher(graphDatabase, producerFactory.getConfigurationProperties(),
                consumerFactory.getConfigurationProperties(), topic, properties.getFormat());
    }

    /** The topic, if it is a legal Kafka topic name; else a failure naming the key. */
    static String checkedTopic(String topic) {
        if (topic == null || !LEGAL_TOPIC.matcher(topic).matches() || topic.equals(".") || topic.equals("..")) {
            throw new InvalidGraphWalPropertyException("graphwal.kafka.topic", topic, "a Kafka topic name: 1 to 249 "
                    + "letters, digits, '.', '_' or '-', and not '.' or '..'");
        }
        return topic;
    }

    @Bean
    @ConditionalOnMissingBean
    KafkaPublisherLifecycle kafkaPublisherLifecycle(KafkaChangePublisher publisher) {
        return new KafkaPublisherLifecycle(publisher);
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(HealthIndicator.class)
    static class HealthConfiguration {

        @Bean
        @ConditionalOnMissingBean(name = "kafkaPublisherHealthIndicator")
        KafkaPublisherHealthIndicator kafkaPublisherHealthIndicator(KafkaChangePublisher publisher,
                GraphDatabase graphDatabase) {
            return new KafkaPublisherHealthIndicator(publisher, graphDatabase);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(MeterRegistry.class)
    static class MetricsConfiguration {

        @Bean
        @ConditionalOnMissingBean
        KafkaPublisherMetrics kafkaPublisherMetrics(KafkaChangePublisher publisher, GraphDatabase graphDatabase) {
            return new KafkaPublisherMetrics(publisher, graphDatabase);
        }
    }
}
