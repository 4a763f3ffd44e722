package io.graphwal.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.graphwal.replay.DatabaseConfig;
import io.graphwal.replay.GraphDatabase;
import io.graphwal.wal.SyncMode;
import io.graphwal.wal.TornTailPolicy;
import io.graphwal.wal.WalClosedException;
import io.graphwal.wal.WalConfig;
import io.graphwal.wal.WalListener;
import io.graphwal.wal.WriteAheadLog;

class GraphWalAutoConfigurationTests {

    @TempDir
    Path dir;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(GraphWalAutoConfiguration.class));

    private ApplicationContextRunner inDirectory() {
        return runner.withPropertyValues("graphwal.directory=" + dir.resolve("graph"));
    }

    @Test
    void defaultsOpenAReplayedGraphAndItsLogWithTheDocumentedSettings() {
        inDirectory().run(context -> {
            assertThat(context).hasSingleBean(GraphDatabase.class).hasSingleBean(WriteAheadLog.class)
                    .hasSingleBean(GraphWalLifecycle.class);
            WalConfig config = context.getBean(WriteAheadLog.class).config();
            assertThat(config.syncMode()).isEqualTo(SyncMode.GROUP);
            assertThat(config.groupInterval()).isEqualTo(Duration.ofMillis(10));
            assertThat(config.segmentSize()).isEqualTo(64L * 1024 * 1024);
            assertThat(config.maxRecordSize()).isEqualTo(16 * 1024 * 1024);
            assertThat(config.tornTail()).isEqualTo(TornTailPolicy.TRUNCATE);
            assertThat(config.preallocate()).isTrue();
            assertThat(context.getBean(WriteAheadLog.class)).isSameAs(context.getBean(GraphDatabase.class).wal());
            GraphWalProperties properties = context.getBean(GraphWalProperties.class);
            assertThat(properties.getSnapshot().getEveryRecords()).isEqualTo(1_000_000);
            assertThat(properties.getSnapshot().getRetain()).isEqualTo(2);
        });
    }

    @Test
    void theDefaultDirectoryIsDataGraphwal() {
        assertThat(new GraphWalProperties().getDirectory()).isEqualTo("./data/graphwal");
    }

    @Test
    void everyKeyBinds() {
        inDirectory().withPropertyValues("graphwal.wal.sync-mode=per-commit", "graphwal.wal.group-interval=25ms",
                "graphwal.wal.segment-size=2MB", "graphwal.wal.max-record-size=512KB",
                "graphwal.wal.preallocate=false", "graphwal.recovery.torn-tail=fail",
                "graphwal.snapshot.every-records=0", "graphwal.snapshot.retain=3").run(context -> {
                    WalConfig config = context.getBean(WriteAheadLog.class).config();
                    assertThat(config.directory()).isEqualTo(dir.resolve("graph"));
                    assertThat(config.syncMode()).isEqualTo(SyncMode.PER_COMMIT);
                    assertThat(config.groupInterval()).isEqualTo(Duration.ofMillis(25));
                    assertThat(config.segmentSize()).isEqualTo(2L * 1024 * 1024);
                    assertThat(config.maxRecordSize()).isEqualTo(512 * 1024);
                    assertThat(config.tornTail()).isEqualTo(TornTailPolicy.FAIL);
                    assertThat(config.preallocate()).isFalse();
                    GraphWalProperties properties = context.getBean(GraphWalProperties.class);
                    assertThat(properties.getSnapshot().getEveryRecords()).isZero();
                    assertThat(properties.getSnapshot().getRetain()).isEqualTo(3);
                });
    }

    @Test
    void eachInvalidValueFailsStartupWithAnAnalysisNamingKeyValueAndWhatIsAllowed() {
        Map<String, String> invalid = Map.of(
                "graphwal.wal.group-interval", "0ms",
                "graphwal.wal.max-record-size", "0B",
                "graphwal.wal.segment-size", "1KB",
                "graphwal.snapshot.every-records", "-1",
                "graphwal.snapshot.retain", "0",
                "graphwal.archive.max-lag", "5ms",
                "graphwal.archive.retention", "10s",
                "graphwal.archive.restore-if-empty", "true",
                "graphwal.directory", "");
        invalid.forEach((key, value) -> runner.withPropertyValues(key + "=" + value,
                key.startsWith("graphwal.archive.") && !key.endsWith("restore-if-empty")
                        ? "graphwal.archive.directory=" + dir.resolve("archive") : "graphwal.enabled=true").run(context -> {
            assertThat(context).hasFailed();
            Throwable failure = context.getStartupFailure();
            FailureAnalysis analysis = new GraphWalFailureAnalyzer().analyze(failure);
            assertThat(analysis).as(key).isNotNull();
            InvalidGraphWalPropertyException cause = (InvalidGraphWalPropertyException) analysis.getCause();
            assertThat(cause.key()).isEqualTo(key);
            assertThat(analysis.getDescription()).contains(key).contains("'" + value + "'");
            assertThat(analysis.getAction()).contains(key).contains(cause.allowed());
            assertThat(cause.allowed()).isNotBlank();
        }));
        assertThat(Files.exists(dir.resolve("graph"))).isFalse();
    }

    @Test
    void anInvalidEnumValueFailsBindingNamingTheKey() {
        inDirectory().withPropertyValues("graphwal.wal.sync-mode=sometimes").run(context -> {
            assertThat(context).hasFailed();
            // Spring Boot's own bind failure analysis reports such a failure by key, value and the enum's values.
            Throwable failure = context.getStartupFailure();
            while (failure != null && !(failure instanceof BindException)) {
                failure = failure.getCause();
            }
            assertThat(failure).isInstanceOf(BindException.class);
            BindException bind = (BindException) failure;
            assertThat(bind.getProperty().getName().toString()).isEqualTo("graphwal.wal.sync-mode");
            assertThat(bind.getProperty().getValue()).isEqualTo("sometimes");
        });
    }

    @Test
    void aLockedDirectoryFailsStartupWithAnAnalysisSayingWhatToDo() {
        try (GraphDatabase holder = GraphDatabase.open(DatabaseConfig.of(WalConfig.builder(dir.resolve("graph"))
                .build()))) {
            inDirectory().run(context -> {
                assertThat(context).hasFailed();
                FailureAnalysis analysis = new GraphWalStartupFailureAnalyzer().analyze(context.getStartupFailure());
                assertThat(analysis).isNotNull();
                assertThat(analysis.getDescription()).contains("already open in this JVM");
                assertThat(analysis.getAction()).contains("graphwal.directory");
            });
        }
    }

    @Test
    void aSymbolicLinkOrAFileAsTheDirectoryFailsStartupWithAnAnalysisSayingWhatToDo() throws Exception {
        Path target = Files.createDirectory(dir.resolve("real"));
        Path link = dir.resolve("link");
        try {
            Files.createSymbolicLink(link, target);
        } catch (UnsupportedOperationException | java.io.IOException | SecurityException e) {
            link = null; // no symbolic links here; the plain file below is still checked
        }
        Path file = Files.writeString(dir.resolve("file"), "not a directory");
        Map<Path, String> cases = new java.util.LinkedHashMap<>();
        if (link != null) {
            cases.put(link, "is a symbolic link");
        }
        cases.put(file, "is not a directory");
        cases.forEach((directory, problem) -> runner.withPropertyValues("graphwal.directory=" + directory)
                .run(context -> {
                    assertThat(context).hasFailed();
                    FailureAnalysis analysis = new GraphWalStartupFailureAnalyzer()
                            .analyze(context.getStartupFailure());
                    assertThat(analysis).isNotNull();
                    assertThat(analysis.getDescription()).contains(directory.toString()).contains(problem);
                    assertThat(analysis.getAction()).contains("graphwal.directory");
                }));
        try (var entries = Files.list(target)) {
            assertThat(entries).as("nothing was created through the link").isEmpty();
        }
    }

    @Test
    void backsOffWhenTheApplicationDefinesItsOwnDatabase() {
        inDirectory().withUserConfiguration(OwnDatabase.class).run(context -> {
            assertThat(context).hasSingleBean(GraphDatabase.class);
            assertThat(context.getBean(GraphDatabase.class)).isSameAs(context.getBean("ownDatabase"));
            assertThat(context.getBean(WriteAheadLog.class).config().directory().getFileName().toString())
                    .isEqualTo("own");
        });
    }

    @Test
    void disabledCreatesNothingAndTouchesNoDirectory() {
        inDirectory().withPropertyValues("graphwal.enabled=false").run(context -> {
            assertThat(context).doesNotHaveBean(GraphDatabase.class).doesNotHaveBean(WriteAheadLog.class)
                    .doesNotHaveBean(GraphWalLifecycle.class);
        });
        assertThat(Files.exists(dir.resolve("graph"))).isFalse();
    }

    @Test
    void walListenerBeansObserveTheLog() {
        long[] appended = new long[1];
        inDirectory().withBean(WalListener.class, () -> new WalListener() {
            @Override
            public void appended(long lsn, int bytes) {
                appended[0]++;
            }
        }).run(context -> {
            GraphDatabase db = context.getBean(GraphDatabase.class);
            db.commit(tx -> tx.createNode(List.of("Person"), Map.of("name", "Ann")));
            db.commit(tx -> tx.createNode(List.of("Person"), Map.of("name", "Bob")));
            assertThat(appended[0]).isEqualTo(2);
        });
    }

    @Test
    void closingTheContextClosesTheGraphAndANewContextReplaysIt() {
        inDirectory().withPropertyValues("graphwal.wal.sync-mode=per-commit").run(context -> {
            GraphDatabase db = context.getBean(GraphDatabase.class);
            db.commit(tx -> {
                long a = tx.createNode(List.of("Person"), Map.of("name", "Ann"));
                long b = tx.createNode(List.of("Person"), Map.of("name", "Bob"));
                return tx.createRelationship(a, b, "KNOWS", Map.of());
            });
            db.checkpoint();
            db.commit(tx -> tx.createNode(List.of("City"), Map.of("name", "Oslo")));
        });
        inDirectory().run(context -> {
            GraphDatabase db = context.getBean(GraphDatabase.class);
            assertThat(db.lastReplay().snapshotLsn()).isEqualTo(1);
            assertThat(db.lastReplay().recordsReplayed()).isEqualTo(1);
            long nodes = db.read(view -> view.nodeCount());
            long relationships = db.read(view -> view.relationshipCount());
            assertThat(nodes).isEqualTo(3);
            assertThat(relationships).isEqualTo(1);
        });
    }

    @Test
    void theLifecycleStopsAfterEverythingElseAndClosesTheDatabaseWhenTheContextCloses() {
        GraphDatabase[] opened = new GraphDatabase[1];
        inDirectory().run(context -> {
            GraphWalLifecycle lifecycle = context.getBean(GraphWalLifecycle.class);
            assertThat(lifecycle.getPhase()).isLessThan(0);
            assertThat(lifecycle.isRunning()).isTrue();
            opened[0] = context.getBean(GraphDatabase.class);
        });
        assertThatThrownBy(() -> opened[0].commit(tx -> tx.createNode(List.of("X"), Map.of())))
                .isInstanceOf(WalClosedException.class);
    }

    @Test
    void stoppingAndRestartingTheContextWithoutClosingItKeepsTheGraphOpenAndDurable() {
        inDirectory().run(context -> {
            GraphDatabase db = context.getBean(GraphDatabase.class);
            long lsn = db.commit(tx -> tx.createNode(List.of("X"), Map.of())).lsn();
            // What a test framework does to a cached context no test is using.
            context.stop();
            assertThat(context.getBean(GraphWalLifecycle.class).isRunning()).isFalse();
            assertThat(db.wal().durableLsn()).isEqualTo(lsn);
            context.start();
            assertThat(context.getBean(GraphWalLifecycle.class).isRunning()).isTrue();
            db.commit(tx -> tx.createNode(List.of("X"), Map.of()));
            long nodes = db.read(view -> view.nodeCount());
            assertThat(nodes).isEqualTo(2);
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnDatabase {
        @Bean(destroyMethod = "close")
        GraphDatabase ownDatabase(GraphWalProperties properties) {
            return GraphDatabase.open(DatabaseConfig.of(WalConfig.builder(Path.of(properties.getDirectory())
                    .resolveSibling("own")).build()));
        }
    }
}
