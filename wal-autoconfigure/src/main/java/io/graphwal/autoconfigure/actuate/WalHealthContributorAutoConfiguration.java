package io.graphwal.autoconfigure.actuate;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

import io.graphwal.autoconfigure.GraphWalAutoConfiguration;
import io.graphwal.replay.GraphDatabase;
import io.graphwal.wal.WriteAheadLog;

/**
 * Auto-configuration for the {@link WalHealthIndicator}, contributed as the health component {@code wal}
 * unless {@code management.health.wal.enabled} is false.
 */
@AutoConfiguration(after = GraphWalAutoConfiguration.class)
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnBean(GraphDatabase.class)
public final class WalHealthContributorAutoConfiguration {

    // On the method, so that the class condition is checked before this annotation is read.
    @Bean
    @ConditionalOnEnabledHealthIndicator("wal")
    @ConditionalOnMissingBean(name = "walHealthIndicator")
    WalHealthIndicator walHealthIndicator(WriteAheadLog writeAheadLog) {
        return new WalHealthIndicator(writeAheadLog);
    }
}
