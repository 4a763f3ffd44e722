package io.graphwal.kafka;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code graphwal.kafka.*} settings: whether and where the change feed is published. The connection
 * (brokers, security, client settings) comes from the application's {@code spring.kafka.*} settings.
 */
@ConfigurationProperties("graphwal.kafka")
public class GraphWalKafkaProperties {

    /** Whether to publish every durable transaction to the Kafka topic. */
    private boolean publish;

    /** Topic that receives the changes, in its partition 0; one topic per graph. */
    private String topic = "graphwal.changes";

    /**
     * How each transaction is written into a record's value: json (a documented schema) or binary (the WAL
     * payload).
     */
    private ChangeEventFormat format = ChangeEventFormat.JSON;

    /**
     * Returns whether publishing is on.
     *
     * @return whether to publish
     */
    public boolean isPublish() {
        return publish;
    }

    /**
     * Turns publishing on or off.
     *
     * @param publish whether to publish
     */
    public void setPublish(boolean publish) {
        this.publish = publish;
    }

    /**
     * Returns the topic.
     *
     * @return the topic name
     */
    public String getTopic() {
        return topic;
    }

    /**
     * Sets the topic.
     *
     * @param topic the topic name
     */
    public void setTopic(String topic) {
        this.topic = topic;
    }

    /**
     * Returns the format.
     *
     * @return the format
     */
    public ChangeEventFormat getFormat() {
        return format;
    }

    /**
     * Sets the format.
     *
     * @param format the format
     */
    public void setFormat(ChangeEventFormat format) {
        this.format = format;
    }
}
