package io.graphwal.tool;

import static io.graphwal.tool.ToolFixture.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.graphwal.archive.ArchiveConfig;
import io.graphwal.archive.DirectoryArchiveTarget;
import io.graphwal.replay.DatabaseConfig;
import io.graphwal.replay.GraphDatabase;
import io.graphwal.tool.ToolFixture.Run;
import io.graphwal.wal.WalConfig;

/** {@code wal archive-list} prints what an archive holds; {@code wal restore} rebuilds a directory from it. */
class ArchiveCommandsTest {

    @TempDir
    Path dir;

    private Path archiveFiveTransactions() throws InterruptedException {
        Path archive = dir.resolve("archive");
        try (GraphDatabase db = GraphDatabase.open(new DatabaseConfig(WalConfig.builder(dir.resolve("live")).build(),
                0, 2).withArchive(ArchiveConfig.of(new DirectoryArchiveTarget(archive)), false))) {
            for (int i = 0; i < 5; i++) {
                db.commit(tx -> tx.createNode(List.of("Person"), Map.of()));
            }
            db.wal().flush();
            assertThat(db.archiver().awaitArchived(5, java.time.Duration.ofSeconds(60))).isTrue();
        }
        return archive;
    }

    @Test
    void archiveListPrintsTheTimelinesAndRanges() throws Exception {
        Path archive = archiveFiveTransactions();
        Run result = run("archive-list", "file:" + archive);
        assertThat(result.exit()).isZero();
        assertThat(result.out()).contains("manifest: graph.manifest").contains("timeline 1")
                .contains("restores up to LSN 5").contains("log LSN 1..5");
    }

    @Test
    void restoreRebuildsADirectoryAtTheLsnAskedFor() throws Exception {
        Path archive = archiveFiveTransactions();
        Path restored = dir.resolve("restored");
        Run result = run("restore", "--from", "file:" + archive, "--to", restored.toString(), "--lsn", "3");
        assertThat(result.exit()).as(result.err()).isZero();
        assertThat(result.out()).contains("to LSN 3");
        try (GraphDatabase db = GraphDatabase.open(DatabaseConfig.of(WalConfig.builder(restored).build()))) {
            long people = db.read(view -> (long) view.nodesWithLabel("Person").size());
            assertThat(people).isEqualTo(3);
        }
        Run again = run("restore", "--from", "file:" + archive, "--to", restored.toString());
        assertThat(again.exit()).isEqualTo(1);
        assertThat(again.err()).startsWith("ERROR: ").contains("not empty");
        Run unreachable = run("restore", "--from", "file:" + archive, "--to", dir.resolve("far").toString(),
                "--lsn", "9");
        assertThat(unreachable.exit()).isEqualTo(1);
        assertThat(unreachable.err()).contains("cannot restore LSN 9").contains("missing");
        assertThat(dir.resolve("far")).doesNotExist();
    }

    @Test
    void wrongArchiveCommandLinesExitWithTwo() {
        for (String[] args : new String[][] {
            {"restore", "--to", dir.toString()},
            {"restore", "--from", "file:" + dir},
            {"restore", "--from", "file:" + dir, "--to", dir.toString(), "--lsn", "3", "--time", "2026-01-01T00:00:00Z"},
            {"restore", "--from", "file:" + dir, "--to", dir.toString(), "--time", "yesterday"},
            {"archive-list"},
            {"archive-list", "gopher://x"}}) {
            Run result = run(args);
            assertThat(result.exit()).as(String.join(" ", args)).isEqualTo(2);
            assertThat(result.err()).startsWith("wal: ");
        }
        assertThat(Files.exists(dir.resolve("restored"))).isFalse();
    }
}
