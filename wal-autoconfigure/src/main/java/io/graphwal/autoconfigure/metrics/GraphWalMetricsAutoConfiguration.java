package io.graphwal.autoconfigure.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

import io.graphwal.autoconfigure.GraphWalAutoConfiguration;
import io.graphwal.replay.GraphDatabase;

/**
 * Auto-configuration for GraphWAL's Micrometer metrics: {@link WalEventMetrics}, which the log feeds as a
 * listener, {@link ArchiveMetrics}, which the archiver feeds, and {@link GraphWalMetrics}, which binds the
 * archive's counters when there is an archive. Spring Boot binds the binders to the application's registry.
 */
@AutoConfiguration(after = GraphWalAutoConfiguration.class)
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean(GraphDatabase.class)
public final class GraphWalMetricsAutoConfiguration {

    // Injected into the GraphDatabase as its log's listener, so it must not depend on the database.
    @Bean
    @ConditionalOnMissingBean
    static WalEventMetrics walEventMetrics() {
        return new WalEventMetrics();
    }

    // Injected into the GraphDatabase as its archiver's listener, like the log's.
    @Bean
    @ConditionalOnMissingBean
    static ArchiveMetrics archiveMetrics() {
        return new ArchiveMetrics();
    }

    @Bean
    @ConditionalOnMissingBean
    GraphWalMetrics graphWalMetrics(GraphDatabase graphDatabase, ObjectProvider<ArchiveMetrics> archiveMetrics) {
        return new GraphWalMetrics(graphDatabase, archiveMetrics.getIfAvailable());
    }
}
