package io.graphwal.autoconfigure.actuate;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

import io.graphwal.autoconfigure.GraphWalAutoConfiguration;
import io.graphwal.autoconfigure.GraphWalReplica;
import io.graphwal.replay.GraphDatabase;

/**
 * Auto-configuration for the {@link WalEndpoint} and {@link GraphEndpoint}, each created only where the
 * application makes it available.
 */
@AutoConfiguration(after = GraphWalAutoConfiguration.class)
@ConditionalOnClass({ Endpoint.class, ConditionalOnAvailableEndpoint.class })
@ConditionalOnBean(GraphDatabase.class)
public final class GraphWalEndpointAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnAvailableEndpoint
    WalEndpoint walEndpoint(GraphDatabase graphDatabase, ObjectProvider<GraphWalReplica> replica) {
        return new WalEndpoint(graphDatabase, replica.getIfUnique());
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnAvailableEndpoint
    GraphEndpoint graphEndpoint(GraphDatabase graphDatabase) {
        return new GraphEndpoint(graphDatabase);
    }
}
