package io.graphwal.autoconfigure;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

import io.graphwal.archive.ArchiveListener;
import io.graphwal.archive.ArchiveTarget;
import io.graphwal.replay.ChangeListener;
import io.graphwal.replay.DatabaseConfig;
import io.graphwal.replay.GraphDatabase;
import io.graphwal.wal.WalListener;
import io.graphwal.wal.WriteAheadLog;

/**
 * Auto-configuration for GraphWAL: opens (and replays) the {@link GraphDatabase} in
 * {@code graphwal.directory}, exposes it and its {@link WriteAheadLog}, feeds {@link ChangeListener} beans its
 * change feed, and closes it on shutdown. With an archive configured ({@code graphwal.archive.directory}, or an
 * {@link ArchiveTarget} bean such as the one the {@code wal-archive-s3} module contributes) the database
 * archives itself; {@link ArchiveListener} beans observe the archiver. With a {@link GraphWalReplica} bean the
 * database is a read replica, which refuses commits and uses an archive only to bootstrap an empty directory.
 */
@AutoConfiguration
@ConditionalOnBooleanProperty(name = "graphwal.enabled", matchIfMissing = true)
@EnableConfigurationProperties(GraphWalProperties.class)
public final class GraphWalAutoConfiguration {

    /**
     * The replayed graph. Opening it replays the newest snapshot and the log, so every bean that depends on
     * it, and readiness, waits for replay. Any {@link WalListener} beans (metrics, for one) observe its log.
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    GraphDatabase graphDatabase(GraphWalProperties properties, ObjectProvider<WalListener> listeners,
            ObjectProvider<ArchiveTarget> archiveTargets, ObjectProvider<ArchiveListener> archiveListeners,
            Environment environment, ObjectProvider<GraphWalReplica> replica) {
        DatabaseConfig config = GraphWalSettings.toDatabaseConfig(properties, listeners.orderedStream().toList(),
                environment::getProperty, archiveTargets.getIfUnique(),
                ArchiveListener.all(archiveListeners.orderedStream().toList()));
        GraphWalReplica source = replica.getIfUnique();
        return GraphDatabase.open(source == null ? config : config.withReplica(source::leaderGraphId));
    }

    // The database owns and closes its log.
    @Bean(destroyMethod = "")
    @ConditionalOnMissingBean
    WriteAheadLog writeAheadLog(GraphDatabase graphDatabase) {
        return graphDatabase.wal();
    }

    @Bean
    @ConditionalOnMissingBean
    GraphWalLifecycle graphWalLifecycle(GraphDatabase graphDatabase) {
        return new GraphWalLifecycle(graphDatabase);
    }

    /**
     * Subscribes every {@link ChangeListener} bean to the change feed, from the first transaction committed after
     * the graph was opened. Static, being a bean post-processor: it notes the LSN as the database bean appears.
     */
    @Bean
    static ChangeListenerRegistrar graphWalChangeListenerRegistrar() {
        return new ChangeListenerRegistrar();
    }
}
