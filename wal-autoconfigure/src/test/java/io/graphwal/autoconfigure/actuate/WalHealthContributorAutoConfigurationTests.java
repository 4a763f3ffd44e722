package io.graphwal.autoconfigure.actuate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.availability.ApplicationAvailabilityAutoConfiguration;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroup;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroups;
import org.springframework.boot.health.autoconfigure.actuate.endpoint.AvailabilityProbesAutoConfiguration;
import org.springframework.boot.health.autoconfigure.actuate.endpoint.HealthEndpointAutoConfiguration;
import org.springframework.boot.health.autoconfigure.application.AvailabilityHealthContributorAutoConfiguration;
import org.springframework.boot.health.autoconfigure.registry.HealthContributorRegistryAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.graphwal.autoconfigure.GraphWalAutoConfiguration;
import io.graphwal.autoconfigure.Graphs;
import io.graphwal.autoconfigure.PoisonableDatabaseConfiguration;
import io.graphwal.io.FsyncFailingFileIO;
import io.graphwal.replay.GraphDatabase;

class WalHealthContributorAutoConfigurationTests {

    @TempDir
    Path directory;

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(GraphWalAutoConfiguration.class,
                WalHealthContributorAutoConfiguration.class));

    @Test
    void runShouldContributeTheWalHealthIndicator() {
        contextRunner.withPropertyValues("graphwal.directory=" + directory)
            .run((context) -> assertThat(context).hasSingleBean(WalHealthIndicator.class)
                .hasBean("walHealthIndicator"));
    }

    @Test
    void backsOffWhenTheApplicationDefinesItsOwnWalHealthIndicator() {
        contextRunner.withPropertyValues("graphwal.directory=" + directory)
            .withBean("walHealthIndicator", HealthIndicator.class, () -> () -> Health.up().build())
            .run((context) -> assertThat(context).doesNotHaveBean(WalHealthIndicator.class)
                .hasBean("walHealthIndicator"));
    }

    @Test
    void runWhenDisabledShouldNotContributeTheWalHealthIndicator() {
        contextRunner.withPropertyValues("graphwal.directory=" + directory, "management.health.wal.enabled=false")
            .run((context) -> assertThat(context).doesNotHaveBean(WalHealthIndicator.class));
    }

    @Test
    void healthIsUpWithTheSyncModeAndDurableLsn() {
        contextRunner.withPropertyValues("graphwal.directory=" + directory, "graphwal.wal.sync-mode=per-commit")
            .run((context) -> {
                long lsn = Graphs.addFriends(context.getBean(GraphDatabase.class));
                Health health = context.getBean(WalHealthIndicator.class).health();
                assertThat(health.getStatus()).isEqualTo(Status.UP);
                assertThat(health.getDetails()).containsEntry("syncMode", "per-commit")
                    .containsEntry("durableLsn", lsn);
            });
    }

    @Test
    void healthIsDownWithThePoisonOnceAnFsyncFails() {
        contextRunner.withPropertyValues("graphwal.directory=" + directory)
            .withUserConfiguration(PoisonableDatabaseConfiguration.class)
            .run((context) -> {
                GraphDatabase database = context.getBean(GraphDatabase.class);
                long durable = Graphs.addFriends(database);
                context.getBean(FsyncFailingFileIO.class).failFsyncs();
                assertThatThrownBy(() -> Graphs.addFriends(database)).isInstanceOf(RuntimeException.class);
                Health health = context.getBean(WalHealthIndicator.class).health();
                assertThat(health.getStatus()).isEqualTo(Status.DOWN);
                assertThat(health.getDetails()).containsEntry("lsn", durable)
                    .containsKeys("cause", "at", "operation");
                assertThat((String) health.getDetails().get("cause")).contains("injected fsync failure");
            });
    }

    private final ApplicationContextRunner withHealthEndpoint = contextRunner.withConfiguration(AutoConfigurations.of(
            ApplicationAvailabilityAutoConfiguration.class, HealthContributorRegistryAutoConfiguration.class,
            HealthEndpointAutoConfiguration.class, AvailabilityHealthContributorAutoConfiguration.class,
            AvailabilityProbesAutoConfiguration.class));

    @Test
    void walIsAddedToTheReadinessGroupBesideTheReadinessState() {
        withHealthEndpoint.withPropertyValues("graphwal.directory=" + directory).run((context) -> {
            HealthEndpointGroup readiness = context.getBean(HealthEndpointGroups.class).get("readiness");
            assertThat(readiness.isMember("wal")).isTrue();
            assertThat(readiness.isMember("readinessState")).isTrue();
            assertThat(readiness.isMember("diskSpace")).isFalse();
            assertThat(context.getBean(HealthEndpointGroups.class).get("liveness").isMember("wal")).isFalse();
        });
    }

    @Test
    void readinessMembersListedByTheApplicationAreLeftAsTheyAre() {
        withHealthEndpoint
            .withPropertyValues("graphwal.directory=" + directory,
                    "management.endpoint.health.group.readiness.include=readinessState")
            .run((context) -> assertThat(
                    context.getBean(HealthEndpointGroups.class).get("readiness").isMember("wal")).isFalse());
    }

    @Test
    void withTheIndicatorOffOrProbesOffTheApplicationStillStarts() {
        withHealthEndpoint.withPropertyValues("graphwal.directory=" + directory, "management.health.wal.enabled=false")
            .run((context) -> {
                assertThat(context).hasNotFailed();
                assertThat(context.getBean(HealthEndpointGroups.class).get("readiness").isMember("wal")).isFalse();
            });
        withHealthEndpoint
            .withPropertyValues("graphwal.directory=" + directory, "management.endpoint.health.probes.enabled=false")
            .run((context) -> {
                assertThat(context).hasNotFailed();
                assertThat(context.getBean(HealthEndpointGroups.class).get("readiness")).isNull();
            });
    }
}
