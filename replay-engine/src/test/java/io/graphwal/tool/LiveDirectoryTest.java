package io.graphwal.tool;

import static io.graphwal.tool.ToolFixture.checksums;
import static io.graphwal.tool.ToolFixture.config;
import static io.graphwal.tool.ToolFixture.copy;
import static io.graphwal.tool.ToolFixture.run;
import static io.graphwal.tool.ToolFixture.snapshots;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import io.graphwal.io.FileHandle;
import io.graphwal.io.FileIO;
import io.graphwal.io.ForwardingFileIO;
import io.graphwal.io.WriteRefusingFileIO;
import io.graphwal.replay.GraphDatabase;
import io.graphwal.tool.ToolFixture.Run;
import io.graphwal.wal.WalLockedException;

/**
 * The tool only reads: it runs while an application holds the directory open, changes no byte of it, and
 * copes with a live log that grows and with files that a live checkpoint removes while they are read.
 */
class LiveDirectoryTest extends ToolTemplate {

    @Test
    void everyCommandWorksWhileTheDatabaseHoldsTheDirectoryAndLeavesEveryFileByteIdentical() {
        Path dir = copy(template, work.resolve("graph"));
        try (GraphDatabase db = GraphDatabase.open(config(dir))) {
            assertThatThrownBy(() -> GraphDatabase.open(config(dir))).as("the directory is locked")
                    .isInstanceOf(WalLockedException.class);
            Map<String, String> before = checksums(dir);

            for (FileIO io : List.of(FileIO.standard(), new WriteRefusingFileIO())) {
                Run verify = run(io, "verify", dir.toString());
                assertThat(verify.exit()).as(verify.err()).isZero();
                assertThat(verify.outLines()).last().isEqualTo("OK");
                assertThat(verify.out()).contains("live: the directory is in use by a running GraphWAL (pid "
                        + ProcessHandle.current().pid()).contains("the tail past LSN " + built.lastLsn());
                Run dump = run(io, "dump", dir.toString());
                assertThat(dump.exit()).as(dump.err()).isZero();
                assertThat(dump.recordLines()).last().asString().startsWith("LSN " + built.lastLsn() + ": ");
                Run stats = run(io, "stats", dir.toString());
                assertThat(stats.exit()).as(stats.err()).isZero();
            }

            assertThat(checksums(dir)).isEqualTo(before);
            long lsn = db.commit(tx -> tx.createNode(List.of("After"), Map.of())).lsn();
            assertThat(lsn).as("the database carries on").isEqualTo(built.lastLsn() + 1);
        }
    }

    @Test
    void verifyPassesWhileAnotherThreadKeepsCommitting() throws InterruptedException {
        Path dir = copy(template, work.resolve("graph"));
        try (GraphDatabase db = GraphDatabase.open(config(dir))) {
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong commits = new AtomicLong();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread writer = new Thread(() -> {
                try {
                    while (!stop.get()) {
                        db.commit(tx -> tx.createNode(List.of("Live"), Map.of("text", "y".repeat(200))));
                        commits.incrementAndGet();
                    }
                } catch (Throwable e) {
                    failure.set(e);
                }
            }, "committer");
            writer.start();
            try {
                for (int i = 0; i < 5; i++) {
                    long before = commits.get();
                    Run verify = run(new WriteRefusingFileIO(), "verify", dir.toString());
                    assertThat(verify.exit()).as("run %d: %s", i, verify.err()).isZero();
                    assertThat(verify.err()).as("run %d: a write in progress is not a torn tail", i).isEmpty();
                    assertThat(verify.out()).as("run %d", i)
                            .contains("live: the directory is in use by a running GraphWAL");
                    Run dump = run(new WriteRefusingFileIO(), "dump", dir.toString(), "--from",
                            String.valueOf(built.lastLsn() + before + 1));
                    assertThat(dump.exit()).as("run %d: %s", i, dump.err()).isZero();
                }
            } finally {
                stop.set(true);
                writer.join();
            }
            assertThat(failure.get()).isNull();
            assertThat(commits.get()).isPositive();
        }
    }

    @Test
    void aSnapshotRemovedWhileVerifyReadsItIsLookedForAgain() throws IOException {
        Path dir = copy(template, work.resolve("graph"));
        Path older = snapshots(dir).get(0);
        Map<String, String> kept = checksums(dir);
        kept.remove(older.getFileName().toString());

        Run result = run(new RemovingFileIO(older), "verify", dir.toString());

        assertThat(result.exit()).as(result.err()).isZero();
        assertThat(result.err()).isEmpty();
        assertThat(result.outLines()).hasSize(4).contains("snapshots: 1 (LSN " + built.secondSnapshotLsn() + "); every "
                + "header and block checksum checked, every body decoded").endsWith("OK");
        assertThat(checksums(dir)).isEqualTo(kept);
    }

    @Test
    void filesThatKeepDisappearingEndTheRunWithAnErrorAfterThreeAttempts() {
        Path dir = copy(template, work.resolve("graph"));
        Path older = snapshots(dir).get(0);
        FileIO alwaysGone = new DelegatingFileIO() {
            @Override
            public FileHandle open(Path path, OpenMode mode) throws IOException {
                if (path.equals(older)) {
                    throw new NoSuchFileException(path.toString());
                }
                return super.open(path, mode);
            }
        };

        Run result = run(alwaysGone, "stats", dir.toString());

        assertThat(result.exit()).isEqualTo(1);
        assertThat(result.out()).isEmpty();
        assertThat(result.err()).startsWith("ERROR: files disappeared while they were read, 3 times in a row")
                .contains(older.toString());
    }

    /** Deletes one file just before the first attempt to open it, as a live checkpoint's retention would. */
    private static final class RemovingFileIO extends DelegatingFileIO {
        private final Path doomed;
        private boolean removed;

        RemovingFileIO(Path doomed) {
            this.doomed = doomed;
        }

        @Override
        public FileHandle open(Path path, OpenMode mode) throws IOException {
            if (path.equals(doomed) && !removed) {
                removed = true;
                Files.delete(path);
            }
            return super.open(path, mode);
        }
    }

    /** Passes every call to a {@link WriteRefusingFileIO}. */
    private static class DelegatingFileIO extends ForwardingFileIO {
        DelegatingFileIO() {
            super(new WriteRefusingFileIO());
        }
    }
}
