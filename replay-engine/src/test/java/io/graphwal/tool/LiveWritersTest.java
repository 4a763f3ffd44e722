package io.graphwal.tool;

import static io.graphwal.tool.ToolFixture.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.graphwal.io.FileIO;
import io.graphwal.tool.ToolFixture.Run;
import io.graphwal.wal.SyncMode;

/**
 * Every command, run again and again while sixteen threads commit and automatic checkpoints write snapshots,
 * drop old ones and purge segments, succeeds and says that the directory is in use: nothing a running writer
 * produces is taken for damage.
 */
class LiveWritersTest {

    private static final int ROUNDS = 30;

    @TempDir
    Path work;

    @ParameterizedTest
    @EnumSource(SyncMode.class)
    void verifyDumpAndStatsSucceedOnEveryRunWhileManyThreadsCommitAndCheckpoint(SyncMode mode)
            throws InterruptedException {
        Path dir = work.resolve("graph");
        try (LiveWriters writers = new LiveWriters(dir, mode, FileIO.standard(), 16, 150)) {
            writers.awaitProgress(0, 300);
            for (String command : new String[] {"verify", "dump", "stats"}) {
                for (int round = 0; round < ROUNDS; round++) {
                    long before = writers.commits();
                    Run result = run(command, dir.toString());
                    assertThat(result.exit()).as("%s round %d in %s mode:%n%s", command, round, mode, result.err())
                            .isZero();
                    assertThat(result.err()).as("%s round %d", command, round).doesNotContain("ERROR");
                    writers.awaitProgress(before, 20);
                }
            }
        }
    }
}
