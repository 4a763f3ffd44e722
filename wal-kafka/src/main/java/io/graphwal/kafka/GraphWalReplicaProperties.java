package io.graphwal.kafka;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code graphwal.replica.*} settings: whether this instance is a read replica fed from the change-feed
 * topic. The topic is {@code graphwal.kafka.topic}; the connection comes from {@code spring.kafka.*}.
 */
@ConfigurationProperties("graphwal.replica")
public class GraphWalReplicaProperties {

    /**
     * Whether this instance is a read replica that applies the transactions of graphwal.kafka.topic and
     * refuses writes.
     */
    private boolean enabled;

    /**
     * How long the first start of a replica on an empty directory, without an archive to restore, waits for
     * the broker and the topic's first record before it fails.
     */
    private Duration bootstrapTimeout = Duration.ofSeconds(60);

    /**
     * Returns whether this instance is a replica.
     *
     * @return whether replica mode is on
     */
    public boolean isEnabled() {
        return enabled;
    }

    /**
     * Turns replica mode on or off.
     *
     * @param enabled whether this instance is a replica
     */
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    /**
     * Returns how long an empty replica waits for the topic's first record.
     *
     * @return the timeout
     */
    public Duration getBootstrapTimeout() {
        return bootstrapTimeout;
    }

    /**
     * Sets how long an empty replica waits for the topic's first record.
     *
     * @param bootstrapTimeout the timeout
     */
    public void setBootstrapTimeout(Duration bootstrapTimeout) {
        this.bootstrapTimeout = bootstrapTimeout;
    }
}
