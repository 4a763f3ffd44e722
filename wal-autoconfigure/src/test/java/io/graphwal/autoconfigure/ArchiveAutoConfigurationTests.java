package io.graphwal.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.graphwal.archive.ArchiveRestore;
import io.graphwal.archive.ArchiveTarget;
import io.graphwal.archive.DirectoryArchiveTarget;
import io.graphwal.io.FileIO;
import io.graphwal.replay.GraphDatabase;

/** The archive keys turn archiving on, restore an empty directory, and refuse what cannot work. */
class ArchiveAutoConfigurationTests {

    @TempDir
    Path dir;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(GraphWalAutoConfiguration.class));

    private ApplicationContextRunner archived(String graph) {
        return runner.withPropertyValues("graphwal.directory=" + dir.resolve(graph),
                "graphwal.archive.directory=" + dir.resolve("archive"));
    }

    @Test
    void noArchiveKeyMeansNoArchiver() {
        runner.withPropertyValues("graphwal.directory=" + dir.resolve("graph")).run(context ->
                assertThat(context.getBean(GraphDatabase.class).archiver()).isNull());
    }

    @Test
    void aDirectoryArchivesEveryCommitAndAnEmptyDirectoryComesBackFromIt() {
        archived("graph").run(context -> {
            GraphDatabase db = context.getBean(GraphDatabase.class);
            assertThat(db.archiver()).isNotNull();
            long lsn = db.commit(tx -> tx.createNode(List.of("Person"), Map.of("name", "Ann"))).lsn();
            db.wal().flush();
            assertThat(db.archiver().awaitArchived(lsn, Duration.ofSeconds(60))).isTrue();
            assertThat(db.archiver().status().target()).isEqualTo("file:" + dir.resolve("archive"));
        });
        runner.withPropertyValues("graphwal.directory=" + dir.resolve("fresh"),
                "graphwal.archive.directory=" + dir.resolve("archive"),
                "graphwal.archive.restore-if-empty=true").run(context -> {
                    GraphDatabase db = context.getBean(GraphDatabase.class);
                    int people = db.read(view -> view.nodesWithLabel("Person").size());
                    assertThat(people).isEqualTo(1);
                });
    }

    @Test
    void anArchiveOfAnotherGraphFailsStartupWithAnAnalysis() {
        archived("first").run(context -> assertThat(context).hasNotFailed());
        archived("second").run(context -> {
            assertThat(context).hasFailed();
            FailureAnalysis analysis = new GraphWalArchiveFailureAnalyzer().analyze(context.getStartupFailure());
            assertThat(analysis).isNotNull();
            assertThat(analysis.getDescription()).contains("restore-if-empty");
            assertThat(analysis.getAction()).contains("graphwal.archive.restore-if-empty=true");
        });
    }

    @Test
    void bothTargetsOrABucketWithoutTheS3ModuleAreRefusedNamingTheKeys() {
        archived("graph").withPropertyValues("graphwal.archive.s3.bucket=photos").run(context -> {
            assertThat(context).hasFailed();
            FailureAnalysis analysis = new GraphWalFailureAnalyzer().analyze(context.getStartupFailure());
            assertThat(analysis.getDescription()).contains("graphwal.archive.directory");
            assertThat(analysis.getAction()).contains("graphwal.archive.s3.bucket");
        });
        runner.withPropertyValues("graphwal.directory=" + dir.resolve("graph"), "graphwal.archive.s3.bucket=photos")
                .run(context -> {
                    assertThat(context).hasFailed();
                    FailureAnalysis analysis = new GraphWalFailureAnalyzer().analyze(context.getStartupFailure());
                    assertThat(analysis.getAction()).contains("wal-archive-s3");
                });
    }

    @Test
    void anArchiveTargetBeanIsUsedAsTheArchive() throws Exception {
        Path elsewhere = dir.resolve("bean-archive");
        runner.withPropertyValues("graphwal.directory=" + dir.resolve("graph"))
                .withBean(ArchiveTarget.class, () -> new DirectoryArchiveTarget(elsewhere))
                .run(context -> {
                    GraphDatabase db = context.getBean(GraphDatabase.class);
                    long lsn = db.commit(tx -> tx.createNode(List.of("X"), Map.of())).lsn();
                    db.wal().flush();
                    assertThat(db.archiver().awaitArchived(lsn, Duration.ofSeconds(60))).isTrue();
                });
        assertThat(ArchiveRestore.restore(new DirectoryArchiveTarget(elsewhere), FileIO.standard(),
                dir.resolve("restored"), ArchiveRestore.Point.newest()).lsn()).isEqualTo(1);
    }
}
