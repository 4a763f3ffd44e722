package io.graphwal.autoconfigure.actuate;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

import io.graphwal.autoconfigure.GraphWalAutoConfiguration;
import io.graphwal.replay.GraphDatabase;
import io.graphwal.wal.WriteAheadLog;

/**
 * Auto-configuration for the {@link WalHealthIndicator}, contributed as the health component {@code wal}
 * unless {@code management.health.wal.enabled} is false, and added to the {@code readiness} group unless the
 * application lists that group's members itself; and, where an archive is configured, the
 * {@link ArchiveHealthIndicator} as the component {@code archive}, outside readiness.
 */
// After the probes auto-configuration: its post-processor creates the readiness group that ours widens, and
// post-processors of equal order run in registration order.
@AutoConfiguration(after = GraphWalAutoConfiguration.class,
        afterName = "org.springframework.boot.health.autoconfigure.actuate.endpoint.AvailabilityProbesAutoConfiguration")
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

    // Only where an archive is configured; left out of the readiness group on purpose.
    @Bean
    @ConditionalOnEnabledHealthIndicator("archive")
    @ConditionalOnMissingBean(name = "archiveHealthIndicator")
    @org.springframework.context.annotation.Conditional(OnArchiveConfigured.class)
    ArchiveHealthIndicator archiveHealthIndicator(GraphDatabase graphDatabase) {
        return new ArchiveHealthIndicator(graphDatabase);
    }

    // Health groups belong to the health endpoint, so they need Actuator as well as the health contributor API.
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.actuate.endpoint.web.AdditionalPathsMapper")
    @ConditionalOnEnabledHealthIndicator("wal")
    static class ReadinessGroupConfiguration {

        @Bean
        static WalReadinessGroupPostProcessor walReadinessGroupPostProcessor(Environment environment) {
            return new WalReadinessGroupPostProcessor(
                    environment.containsProperty(WalReadinessGroupPostProcessor.READINESS_INCLUDE));
        }
    }
}
