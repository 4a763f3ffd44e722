/**
 * Change-data capture to Apache Kafka: {@link io.graphwal.kafka.KafkaChangePublisher} sends every durable
 * transaction of a graph to one partition of a topic, exactly once and in LSN order, as a JSON event of a
 * documented schema ({@code JsonChangeEvents}) or as the WAL payload
 * ({@link io.graphwal.kafka.ChangeEventFormat}), resuming after the last LSN the topic holds
 * ({@code TopicTail}). {@link io.graphwal.kafka.GraphWalKafkaAutoConfiguration} wires it from
 * {@code graphwal.kafka.*} ({@link io.graphwal.kafka.GraphWalKafkaProperties}) and the application's
 * {@code spring.kafka.*} settings, with a health indicator and metrics.
 */
package io.graphwal.kafka;
