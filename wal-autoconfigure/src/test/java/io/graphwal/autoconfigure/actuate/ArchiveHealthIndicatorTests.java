package io.graphwal.autoconfigure.actuate;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.graphwal.archive.ArchiveTarget;
import io.graphwal.autoconfigure.GraphWalAutoConfiguration;
import io.graphwal.replay.GraphDatabase;

/** The {@code archive} health component exists only with an archive, and goes DOWN while it lags too far. */
class ArchiveHealthIndicatorTests {

    @TempDir
    Path directory;

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(GraphWalAutoConfiguration.class,
                WalHealthContributorAutoConfiguration.class));

    /** A target that cannot be reached: every call fails. */
    static final class Unreachable implements ArchiveTarget {
        @Override
        public String describe() {
            return "s3://unreachable/graph";
        }

        @Override
        public void put(String name, ObjectContent content) throws IOException {
            throw new IOException("connection refused");
        }

        @Override
        public List<StoredObject> list(String prefix) throws IOException {
            throw new IOException("connection refused");
        }

        @Override
        public InputStream get(String name) throws IOException {
            throw new IOException("connection refused");
        }

        @Override
        public void delete(String name) throws IOException {
            throw new IOException("connection refused");
        }
    }

    @Test
    void noArchiveMeansNoArchiveComponent() {
        contextRunner.withPropertyValues("graphwal.directory=" + directory)
            .run((context) -> assertThat(context).doesNotHaveBean(ArchiveHealthIndicator.class));
    }

    @Test
    void aReachableArchiveIsUp() {
        contextRunner.withPropertyValues("graphwal.directory=" + directory.resolve("graph"),
                "graphwal.archive.directory=" + directory.resolve("archive"))
            .run((context) -> {
                GraphDatabase db = context.getBean(GraphDatabase.class);
                long lsn = db.commit(tx -> tx.createNode(List.of("A"), Map.of())).lsn();
                db.wal().flush();
                assertThat(db.archiver().awaitArchived(lsn, Duration.ofSeconds(60))).isTrue();
                Health health = context.getBean(ArchiveHealthIndicator.class).health(true);
                assertThat(health.getStatus()).isEqualTo(Status.UP);
                assertThat(health.getDetails()).containsEntry("archivedLsn", lsn);
            });
    }

    @Test
    void anUnreachableArchiveStartsAnywayAndGoesDownOnceItLagsTooFar() throws InterruptedException {
        contextRunner.withPropertyValues("graphwal.directory=" + directory, "graphwal.archive.s3.bucket=unreachable",
                "graphwal.archive.max-lag=10ms")
            .withBean(ArchiveTarget.class, Unreachable::new)
            .run((context) -> {
                assertThat(context).hasNotFailed();
                GraphDatabase db = context.getBean(GraphDatabase.class);
                db.commit(tx -> tx.createNode(List.of("A"), Map.of()));
                db.wal().flush();
                ArchiveHealthIndicator indicator = context.getBean(ArchiveHealthIndicator.class);
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                // DOWN after 60 x max-lag = 600 ms of lag; waited for with a generous bound.
                while (indicator.health(true).getStatus() != Status.DOWN) {
                    assertThat(System.nanoTime()).isLessThan(deadline);
                    Thread.sleep(20);
                }
                assertThat(indicator.health(true).getDetails().get("lastError").toString())
                        .contains("connection refused");
            });
    }
}
