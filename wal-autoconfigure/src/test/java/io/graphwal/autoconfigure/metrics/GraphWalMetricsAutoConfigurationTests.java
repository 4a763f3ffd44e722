package io.graphwal.autoconfigure.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.graphwal.archive.ArchiveTarget;
import io.graphwal.archive.DirectoryArchiveTarget;
import io.graphwal.archive.FaultyArchiveTarget;
import io.graphwal.autoconfigure.GraphWalAutoConfiguration;
import io.graphwal.autoconfigure.Graphs;
import io.graphwal.autoconfigure.PoisonableDatabaseConfiguration;
import io.graphwal.io.FsyncFailingFileIO;
import io.graphwal.replay.CheckpointReport;
import io.graphwal.replay.GraphDatabase;

class GraphWalMetricsAutoConfigurationTests {

    @TempDir
    Path directory;

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(GraphWalAutoConfiguration.class,
                GraphWalMetricsAutoConfiguration.class));

    private static MeterRegistry bind(AssertableApplicationContext context) {
        MeterRegistry registry = new SimpleMeterRegistry();
        context.getBeansOfType(MeterBinder.class).values().forEach((binder) -> binder.bindTo(registry));
        return registry;
    }

    @Test
    void runShouldProvideBothBinders() {
        contextRunner.withPropertyValues("graphwal.directory=" + directory)
            .run((context) -> assertThat(context).hasSingleBean(WalEventMetrics.class)
                .hasSingleBean(GraphWalMetrics.class));
    }

    @Test
    void backsOffWhenTheApplicationDefinesItsOwnBinders() {
        contextRunner.withPropertyValues("graphwal.directory=" + directory)
            .withUserConfiguration(OwnBinders.class)
            .run((context) -> assertThat(context).hasSingleBean(WalEventMetrics.class).hasBean("ownWalEventMetrics")
                .hasSingleBean(GraphWalMetrics.class).hasBean("ownGraphWalMetrics"));
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnBinders {

        @Bean
        static WalEventMetrics ownWalEventMetrics() {
            return new WalEventMetrics();
        }

        @Bean
        GraphWalMetrics ownGraphWalMetrics(GraphDatabase database) {
            return new GraphWalMetrics(database);
        }
    }

    @Test
    void metricsMoveAsTheGraphIsWrittenAndFlushed() {
        contextRunner.withPropertyValues("graphwal.directory=" + directory, "graphwal.wal.sync-mode=per-commit")
            .run((context) -> {
                MeterRegistry registry = bind(context);
                GraphDatabase database = context.getBean(GraphDatabase.class);
                for (int i = 0; i < 3; i++) {
                    Graphs.addFriends(database);
                }
                database.wal().flush();

                assertThat(registry.get("graphwal.wal.appends").functionCounter().count()).isEqualTo(3);
                assertThat(registry.get("graphwal.wal.appended.bytes").functionCounter().count()).isPositive();
                assertThat(registry.get("graphwal.wal.fsync").timer().count()).isGreaterThanOrEqualTo(3);
                assertThat(registry.get("graphwal.wal.fsync.batch").summary().totalAmount()).isEqualTo(3);
                assertThat(registry.get("graphwal.wal.commit").tag("sync-mode", "per-commit").timer().count())
                    .isEqualTo(3);
                assertThat(registry.get("graphwal.wal.lsn").tag("kind", "appended").gauge().value()).isEqualTo(3);
                assertThat(registry.get("graphwal.wal.lsn").tag("kind", "durable").gauge().value()).isEqualTo(3);
                assertThat(registry.get("graphwal.wal.segments").gauge().value()).isEqualTo(1);
                assertThat(registry.get("graphwal.wal.poisoned").gauge().value()).isZero();
                assertThat(registry.get("graphwal.replay.duration").timer().count()).isEqualTo(1);
                assertThat(registry.get("graphwal.graph.nodes").gauge().value()).isEqualTo(6);
                assertThat(registry.get("graphwal.graph.relationships").gauge().value()).isEqualTo(3);
            });
    }

    @Test
    void archiveMetersExistOnlyWithAnArchiveAndCountItsUploads() {
        contextRunner.withPropertyValues("graphwal.directory=" + directory.resolve("plain")).run((context) -> {
            MeterRegistry registry = bind(context);
            assertThat(registry.getMeters()).noneMatch((meter) -> meter.getId().getName().startsWith("graphwal.archive"));
        });
        contextRunner.withPropertyValues("graphwal.directory=" + directory.resolve("archived"),
                "graphwal.archive.directory=" + directory.resolve("archive")).run((context) -> {
                    MeterRegistry registry = bind(context);
                    GraphDatabase database = context.getBean(GraphDatabase.class);
                    Graphs.addFriends(database);
                    long durable = database.wal().flush();
                    assertThat(database.archiver().awaitArchived(durable, Duration.ofMinutes(1))).isTrue();
                    assertThat(registry.get("graphwal.archive.uploads").tag("kind", "tail").functionCounter().count())
                        .isPositive();
                    assertThat(registry.get("graphwal.archive.uploaded.bytes").functionCounter().count()).isPositive();
                    assertThat(registry.get("graphwal.archive.failures").functionCounter().count()).isZero();
                    assertThat(registry.get("graphwal.archive.lsn").gauge().value()).isEqualTo(durable);
                });
    }

    @Test
    void aFailedUploadIsCountedAndReportedThenRetriedWithoutCostingACommit() {
        FaultyArchiveTarget target = new FaultyArchiveTarget(new DirectoryArchiveTarget(directory.resolve("archive")));
        contextRunner.withPropertyValues("graphwal.directory=" + directory.resolve("graph"))
            .withBean(ArchiveTarget.class, () -> target)
            .run((context) -> {
                MeterRegistry registry = bind(context);
                GraphDatabase database = context.getBean(GraphDatabase.class);
                assertThat(database.archiver().awaitArchived(0, Duration.ofMinutes(1))).isTrue();
                target.failNext(1);
                Graphs.addFriends(database);
                long durable = database.wal().flush();
                // The one failed upload is retried after its backoff; the commit above never waited for either.
                assertThat(database.archiver().awaitArchived(durable, Duration.ofMinutes(1))).isTrue();
                assertThat(registry.get("graphwal.archive.failures").functionCounter().count()).isEqualTo(1);
                assertThat(registry.get("graphwal.archive.lsn").gauge().value()).isEqualTo(durable);

                target.failAlways(true);
                Graphs.addFriends(database);
                long unarchived = database.wal().flush();
                database.archiver().requestUpload();
                long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
                while (database.archiver().status().lastError() == null) {
                    assertThat(System.nanoTime()).as("the failure reported within a minute").isLessThan(deadline);
                    Thread.sleep(10);
                }
                assertThat(database.archiver().status().lastError().message()).contains("injected failure");
                assertThat(registry.get("graphwal.archive.failures").functionCounter().count()).isGreaterThan(1);
                assertThat(registry.get("graphwal.archive.lsn").gauge().value()).isLessThan(unarchived);
                assertThat(database.wal().durableLsn()).isEqualTo(unarchived);

                target.failAlways(false);
                assertThat(database.archiver().awaitArchived(unarchived, Duration.ofMinutes(1))).isTrue();
                deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
                while (database.archiver().status().lastError() != null) {
                    assertThat(System.nanoTime()).as("the error cleared within a minute").isLessThan(deadline);
                    Thread.sleep(10);
                }
            });
    }

    @Test
    void snapshotMetricsFollowCheckpoints() {
        contextRunner.withPropertyValues("graphwal.directory=" + directory).run((context) -> {
            MeterRegistry registry = bind(context);
            GraphDatabase database = context.getBean(GraphDatabase.class);
            assertThat(registry.get("graphwal.snapshot.duration").timer().count()).isZero();
            assertThat(registry.get("graphwal.snapshot.bytes").gauge().value()).isNaN();
            Graphs.addFriends(database);
            CheckpointReport first = database.checkpoint();
            long bytes = first.bytes();
            assertThat(registry.get("graphwal.snapshot.duration").timer().count()).isEqualTo(1);
            assertThat(registry.get("graphwal.snapshot.duration").timer().totalTime(TimeUnit.NANOSECONDS))
                .isEqualTo(first.duration().toNanos());
            assertThat(registry.get("graphwal.snapshot.bytes").gauge().value()).isEqualTo(bytes);
            Graphs.addFriends(database);
            database.checkpoint();
            database.checkpoint();
            assertThat(registry.get("graphwal.snapshot.duration").timer().count()).isEqualTo(3);
        });
    }

    @Test
    void poisonedGaugeTurnsToOneWhenAnFsyncFails() {
        contextRunner.withPropertyValues("graphwal.directory=" + directory)
            .withUserConfiguration(PoisonableDatabaseConfiguration.class)
            .run((context) -> {
                MeterRegistry registry = bind(context);
                GraphDatabase database = context.getBean(GraphDatabase.class);
                Graphs.addFriends(database);
                assertThat(registry.get("graphwal.wal.poisoned").gauge().value()).isZero();
                context.getBean(FsyncFailingFileIO.class).failFsyncs();
                assertThatThrownBy(() -> Graphs.addFriends(database)).isInstanceOf(RuntimeException.class);
                assertThat(registry.get("graphwal.wal.poisoned").gauge().value()).isEqualTo(1);
            });
    }

    @Test
    void metersHaveDescriptionsAndBaseUnits() {
        contextRunner.withPropertyValues("graphwal.directory=" + directory).run((context) -> {
            MeterRegistry registry = bind(context);
            assertThat(registry.getMeters()).allSatisfy(
                    (meter) -> assertThat(meter.getId().getDescription()).as(meter.getId().getName()).isNotBlank());
            assertThat(registry.get("graphwal.wal.appended.bytes").meter().getId().getBaseUnit()).isEqualTo("bytes");
            assertThat(registry.get("graphwal.snapshot.bytes").meter().getId().getBaseUnit()).isEqualTo("bytes");
        });
    }
}
