/**
 * Change-data capture to Apache Kafka: {@link io.graphwal.kafka.KafkaChangePublisher} sends every durable
 * transaction of a graph to one partition of a topic, exactly once and in LSN order, as a JSON event of a
 * documented schema ({@code JsonChangeEvents}) or as the WAL payload
 * ({@link io.graphwal.kafka.ChangeEventFormat}), resuming after the last LSN the topic holds
 * ({@code TopicTail}). {@link io.graphwal.kafka.GraphWalKafkaAutoConfiguration} wires it from
 * {@code graphwal.kafka.*} ({@link io.graphwal.kafka.GraphWalKafkaProperties}) and the application's
 * {@code spring.kafka.*} settings, with a health indicator and metrics.
 *
 * <p>Read replicas: {@link io.graphwal.kafka.KafkaReplicaFollower} feeds a replica's graph from the topic,
 * decoding either format ({@code ChangeEventDecoder}); {@link io.graphwal.kafka.GraphWalReplicaAutoConfiguration}
 * wires it from {@code graphwal.replica.*} ({@link io.graphwal.kafka.GraphWalReplicaProperties}) with the
 * {@code replica} health indicator and the {@code graphwal.replica.*} gauges.
 */
package io.graphwal.kafka;
