package io.graphwal.autoconfigure.actuate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.graphwal.autoconfigure.GraphWalAutoConfiguration;
import io.graphwal.autoconfigure.Graphs;
import io.graphwal.autoconfigure.PoisonableDatabaseConfiguration;
import io.graphwal.autoconfigure.metrics.GraphWalMetricsAutoConfiguration;
import io.graphwal.io.FileHandle;
import io.graphwal.io.FileIO;
import io.graphwal.io.ForwardingFileIO;
import io.graphwal.io.FsyncFailingFileIO;
import io.graphwal.replay.DatabaseConfig;
import io.graphwal.replay.GraphDatabase;
import io.graphwal.wal.WalConfig;

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
            GraphEndpoint.GraphDescriptor graph = (GraphEndpoint.GraphDescriptor) context.getBean(GraphEndpoint.class).graph()
                    .getBody();
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
    void aCheckpointOnAFullDiskAnswers507NamingTheCauseAndTheNextOneSucceeds() {
        exposed().withUserConfiguration(FullDiskDatabase.class).run((context) -> {
            GraphDatabase database = context.getBean(GraphDatabase.class);
            long lsn = Graphs.addFriends(database);
            FullDiskDatabase.SnapshotsFail disk = context.getBean(FullDiskDatabase.SnapshotsFail.class);
            disk.failure.set(new IOException("No space left on device"));

            WebEndpointResponse<Object> refused = context.getBean(GraphEndpoint.class).checkpoint();
            assertThat(refused.getStatus()).isEqualTo(507);
            @SuppressWarnings("unchecked")
            Map<String, Object> body = (Map<String, Object>) refused.getBody();
            assertThat(body).containsEntry("error", "checkpoint failed");
            assertThat((String) body.get("message")).contains("Checkpoint of", "No space left on device",
                    "the log is untouched");
            assertThat((String) body.get("cause")).isEqualTo("java.io.IOException: No space left on device");

            // The graph keeps working, and once there is room a checkpoint answers as usual.
            long next = Graphs.addFriends(database);
            disk.failure.set(null);
            WebEndpointResponse<Object> written = context.getBean(GraphEndpoint.class).checkpoint();
            assertThat(written.getStatus()).isEqualTo(WebEndpointResponse.STATUS_OK);
            assertThat(((GraphEndpoint.CheckpointDescriptor) written.getBody()).lsn()).isEqualTo(next)
                .isGreaterThan(lsn);
        });
    }

    @Test
    void aCheckpointFailingOtherwiseAnswers500NamingTheCause() {
        exposed().withUserConfiguration(FullDiskDatabase.class).run((context) -> {
            Graphs.addFriends(context.getBean(GraphDatabase.class));
            context.getBean(FullDiskDatabase.SnapshotsFail.class).failure
                .set(new IllegalStateException("injected snapshot failure"));
            WebEndpointResponse<Object> refused = context.getBean(GraphEndpoint.class).checkpoint();
            assertThat(refused.getStatus()).isEqualTo(WebEndpointResponse.STATUS_INTERNAL_SERVER_ERROR);
            assertThat(refused.getBody()).isEqualTo(Map.of("error", "checkpoint failed", "message",
                    "injected snapshot failure", "cause", "java.lang.IllegalStateException: injected snapshot failure"));
        });
    }

    @Test
    void aFlushOfAClosedLogAnswers503NamingTheCause() {
        exposed().run((context) -> {
            GraphDatabase database = context.getBean(GraphDatabase.class);
            database.close();
            WebEndpointResponse<Object> refused = context.getBean(WalEndpoint.class).flush();
            assertThat(refused.getStatus()).isEqualTo(WebEndpointResponse.STATUS_SERVICE_UNAVAILABLE);
            @SuppressWarnings("unchecked")
            Map<String, Object> body = (Map<String, Object>) refused.getBody();
            assertThat(body).containsEntry("error", "flush failed").containsKeys("message", "cause");
            assertThat((String) body.get("message")).contains("closed");
        });
    }

    /**
     * A database whose snapshot files cannot be written while {@code failure} is set: an
     * {@link IOException} as a full disk raises it, or an unchecked exception as a bug would.
     */
    @Configuration(proxyBeanMethods = false)
    static class FullDiskDatabase {

        @Bean
        SnapshotsFail snapshotsFail() {
            return new SnapshotsFail();
        }

        @Bean(destroyMethod = "close")
        GraphDatabase graphDatabase(SnapshotsFail fileIO, @Value("${graphwal.directory}") String directory) {
            return GraphDatabase.open(DatabaseConfig.of(WalConfig.builder(Path.of(directory)).fileIO(fileIO).build()));
        }

        static final class SnapshotsFail extends ForwardingFileIO {

            final AtomicReference<Exception> failure = new AtomicReference<>();

            SnapshotsFail() {
                super(FileIO.standard());
            }

            @Override
            protected FileHandle wrap(Path path, OpenMode mode, FileHandle handle) {
                if (!path.getFileName().toString().startsWith("snapshot-")) {
                    return handle;
                }
                return new ForwardingHandle(handle) {
                    @Override
                    public void write(ByteBuffer source, long position) throws IOException {
                        Exception e = failure.get();
                        if (e instanceof IOException io) {
                            throw io;
                        }
                        if (e != null) {
                            throw (RuntimeException) e;
                        }
                        delegate.write(source, position);
                    }
                };
            }
        }
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
