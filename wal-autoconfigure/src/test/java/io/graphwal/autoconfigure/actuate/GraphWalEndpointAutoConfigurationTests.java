package io.graphwal.autoconfigure.actuate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.graphwal.wal.FsyncFailingFileIO;
import io.graphwal.autoconfigure.GraphWalAutoConfiguration;
import io.graphwal.autoconfigure.Graphs;
import io.graphwal.autoconfigure.PoisonableDatabaseConfiguration;
import io.graphwal.autoconfigure.metrics.GraphWalMetricsAutoConfiguration;
import io.graphwal.replay.GraphDatabase;

class GraphWalEndpointAutoConfigurationTests {

    @TempDir
    Path directory;

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(GraphWalAutoConfiguration.class,
                GraphWalEndpointAutoConfiguration.class, WalHealthContributorAutoConfiguration.class,
                GraphWalMetricsAutoConfiguration.class));

    private ApplicationContextRunner exposed() {
        return contextRunner.withPropertyValues("graphwal.directory=" + directory,
                "management.endpoints.web.exposure.include=wal,graph");
    }

    @Test
    void runWhenExposedShouldHaveEndpointBeans() {
        exposed().run((context) -> assertThat(context).hasSingleBean(WalEndpoint.class)
            .hasSingleBean(GraphEndpoint.class));
    }

    @Test
    void backsOffWhenTheApplicationDefinesItsOwnEndpoints() {
        exposed().withUserConfiguration(OwnEndpoints.class).run((context) -> assertThat(context)
            .hasSingleBean(WalEndpoint.class).hasBean("ownWalEndpoint")
            .hasSingleBean(GraphEndpoint.class).hasBean("ownGraphEndpoint"));
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnEndpoints {

        @Bean
        WalEndpoint ownWalEndpoint(GraphDatabase database) {
            return new WalEndpoint(database);
        }

        @Bean
        GraphEndpoint ownGraphEndpoint(GraphDatabase database) {
            return new GraphEndpoint(database);
        }
    }

    @Test
    void runWhenNotExposedShouldNotHaveEndpointBeans() {
        contextRunner.withPropertyValues("graphwal.directory=" + directory)
            .run((context) -> assertThat(context).doesNotHaveBean(WalEndpoint.class)
                .doesNotHaveBean(GraphEndpoint.class)
                .hasSingleBean(GraphDatabase.class));
    }

    @Test
    void runWithoutActuatorOrMicrometerShouldStillProvideTheGraph() {
        exposed().withClassLoader(new FilteredClassLoader("org.springframework.boot.actuate",
                "org.springframework.boot.health", "io.micrometer"))
            .run((context) -> {
                assertThat(context).hasNotFailed()
                    .doesNotHaveBean(WalEndpoint.class)
                    .doesNotHaveBean(GraphEndpoint.class)
                    .doesNotHaveBean(WalHealthIndicator.class)
                    .doesNotHaveBean("walEventMetrics")
                    .hasSingleBean(GraphDatabase.class);
                GraphDatabase database = context.getBean(GraphDatabase.class);
                assertThat(Graphs.addFriends(database)).isEqualTo(1);
            });
    }

    @Test
    void runWhenGraphWalIsDisabledShouldNotHaveEndpointBeans() {
        exposed().withPropertyValues("graphwal.enabled=false")
            .run((context) -> assertThat(context).doesNotHaveBean(WalEndpoint.class)
                .doesNotHaveBean(GraphEndpoint.class));
    }

    @Test
    void endpointsAllowOnlyReadsUnlessAccessIsGranted() {
        assertThat(WalEndpoint.class.getAnnotation(Endpoint.class).defaultAccess()).isEqualTo(Access.READ_ONLY);
        assertThat(GraphEndpoint.class.getAnnotation(Endpoint.class).defaultAccess()).isEqualTo(Access.READ_ONLY);
    }

    @Test
    void walStatusReportsTheLogTheReplayAndNoSnapshotYet() {
        exposed().run((context) -> {
            GraphDatabase database = context.getBean(GraphDatabase.class);
            Graphs.addFriends(database);
            long lsn = Graphs.addFriends(database);
            database.wal().flush();
            WalEndpoint.WalStatusDescriptor status = context.getBean(WalEndpoint.class).status();
            assertThat(status.syncMode()).isEqualTo("group");
            assertThat(status.directory()).isEqualTo(directory.toString());
            assertThat(status.appendedLsn()).isEqualTo(lsn);
            assertThat(status.durableLsn()).isEqualTo(lsn);
            assertThat(status.segments().count()).isEqualTo(1);
            assertThat(status.segments().bytes()).isPositive();
            assertThat(status.lastFsync().at()).isNotNull();
            assertThat(status.lastFsync().durationMicros()).isNotNegative();
            assertThat(status.poisoned()).isFalse();
            assertThat(status.poison()).isNull();
            assertThat(status.lastReplay().snapshotLsn()).isZero();
            assertThat(status.lastReplay().recordsReplayed()).isZero();
            assertThat(status.lastReplay().tornTailBytes()).isZero();
            assertThat(status.lastReplay().durationMillis()).isNotNegative();
            assertThat(status.lastSnapshot()).isNull();
        });
    }

    @Test
    void walFlushReturnsTheDurableLsn() {
        exposed().run((context) -> {
            long lsn = Graphs.addFriends(context.getBean(GraphDatabase.class));
            WebEndpointResponse<Object> response = context.getBean(WalEndpoint.class).flush();
            assertThat(response.getStatus()).isEqualTo(WebEndpointResponse.STATUS_OK);
            assertThat(response.getBody()).isEqualTo(Map.of("durableLsn", lsn));
        });
    }

    @Test
    void graphReportsCountsLabelsTypesAndIndexes() {
        exposed().run((context) -> {
            GraphDatabase database = context.getBean(GraphDatabase.class);
            Graphs.addFriends(database);
            database.commit((tx) -> {
                tx.createIndex("Person", "name");
                return null;
            });
            GraphEndpoint.GraphDescriptor graph = context.getBean(GraphEndpoint.class).graph();
            assertThat(graph.nodes()).isEqualTo(2);
            assertThat(graph.relationships()).isEqualTo(1);
            assertThat(graph.labels()).containsExactlyEntriesOf(Map.of("Person", 2L));
            assertThat(graph.relationshipTypes()).containsExactlyEntriesOf(Map.of("KNOWS", 1L));
            assertThat(graph.indexes()).containsExactly(new GraphEndpoint.IndexDescriptor("Person", "name"));
        });
    }

    @Test
    void graphCheckpointWritesASnapshotThatTheWalStatusReports() {
        exposed().run((context) -> {
            long lsn = Graphs.addFriends(context.getBean(GraphDatabase.class));
            WebEndpointResponse<Object> response = context.getBean(GraphEndpoint.class).checkpoint();
            assertThat(response.getStatus()).isEqualTo(WebEndpointResponse.STATUS_OK);
            GraphEndpoint.CheckpointDescriptor checkpoint = (GraphEndpoint.CheckpointDescriptor) response.getBody();
            assertThat(checkpoint.lsn()).isEqualTo(lsn);
            assertThat(checkpoint.bytes()).isPositive();
            assertThat(checkpoint.durationMillis()).isNotNegative();
            WalEndpoint.SnapshotDescriptor snapshot = context.getBean(WalEndpoint.class).status().lastSnapshot();
            assertThat(snapshot.lsn()).isEqualTo(lsn);
            assertThat(snapshot.bytes()).isEqualTo(checkpoint.bytes());
            assertThat(snapshot.at()).isNotNull();
        });
    }

    @Test
    void walStatusAfterARestartReportsTheNewestSnapshotFileAndTheReplay() {
        exposed().run((context) -> {
            GraphDatabase database = context.getBean(GraphDatabase.class);
            Graphs.addFriends(database);
            database.checkpoint();
            Graphs.addFriends(database);
        });
        exposed().run((context) -> {
            WalEndpoint.WalStatusDescriptor status = context.getBean(WalEndpoint.class).status();
            assertThat(status.lastSnapshot()).isNotNull();
            assertThat(status.lastSnapshot().lsn()).isEqualTo(1);
            assertThat(status.lastSnapshot().bytes()).isPositive();
            assertThat(status.lastReplay().snapshotLsn()).isEqualTo(1);
            assertThat(status.lastReplay().recordsReplayed()).isEqualTo(1);
        });
    }

    @Test
    void poisonedLogIsReportedByStatusAndRefusesFlushAndCheckpointWith503() {
        exposed().withUserConfiguration(PoisonableDatabaseConfiguration.class).run((context) -> {
            GraphDatabase database = context.getBean(GraphDatabase.class);
            long durable = Graphs.addFriends(database);
            context.getBean(FsyncFailingFileIO.class).failFsyncs();
            assertThatThrownBy(() -> Graphs.addFriends(database)).isInstanceOf(RuntimeException.class);

            WalEndpoint.WalStatusDescriptor status = context.getBean(WalEndpoint.class).status();
            assertThat(status.poisoned()).isTrue();
            assertThat(status.poison().cause()).contains("injected fsync failure");
            assertThat(status.poison().at()).isNotNull();
            assertThat(status.poison().lsn()).isEqualTo(durable);
            assertThat(status.poison().operation()).contains("fsync");

            for (WebEndpointResponse<Object> response : List.of(context.getBean(WalEndpoint.class).flush(),
                    context.getBean(GraphEndpoint.class).checkpoint())) {
                assertThat(response.getStatus()).isEqualTo(WebEndpointResponse.STATUS_SERVICE_UNAVAILABLE);
                assertThat(response.getBody()).isEqualTo(Map.of("poisoned", true, "poison", status.poison()));
            }
        });
    }
}
