package io.graphwal.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;

/**
 * The producer settings a publisher runs with: what exactly-once needs always wins over the application's
 * settings; the batching defaults apply only where the application is silent.
 */
class PublisherSettingsTest {

    @Test
    void exactlyOnceSettingsOverrideTheApplicationsAndBatchingDefaultsFillOnlyWhatItLeftOut() {
        Map<String, Object> settings = KafkaChangePublisher.producerSettings(Map.of(
                ProducerConfig.ACKS_CONFIG, "1", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false,
                ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 20), "graph-a", "changes");
        assertThat(settings).containsEntry(ProducerConfig.ACKS_CONFIG, "all")
                .containsEntry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true)
                .containsEntry(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5)
                .containsEntry(ProducerConfig.TRANSACTIONAL_ID_CONFIG,
                        KafkaChangePublisher.transactionalId("graph-a", "changes"))
                .containsEntry(ProducerConfig.LINGER_MS_CONFIG, (int) KafkaChangePublisher.COMMIT_INTERVAL_MILLIS)
                .containsEntry(ProducerConfig.BATCH_SIZE_CONFIG, KafkaChangePublisher.DEFAULT_BATCH_BYTES);

        Map<String, Object> tuned = KafkaChangePublisher.producerSettings(Map.of(ProducerConfig.LINGER_MS_CONFIG, 0,
                ProducerConfig.BATCH_SIZE_CONFIG, 16_384), "graph-a", "changes");
        assertThat(tuned).containsEntry(ProducerConfig.LINGER_MS_CONFIG, 0)
                .containsEntry(ProducerConfig.BATCH_SIZE_CONFIG, 16_384);
    }
}
