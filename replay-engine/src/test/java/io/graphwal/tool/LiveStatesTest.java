package io.graphwal.tool;

import static io.graphwal.tool.ToolFixture.run;
import static io.graphwal.tool.ToolFixture.segments;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.graphwal.io.FileHandle;
import io.graphwal.io.FileIO;
import io.graphwal.io.ForwardingFileIO;
import io.graphwal.replay.DatabaseConfig;
import io.graphwal.replay.GraphDatabase;
import io.graphwal.tool.ToolFixture.RecordAt;
import io.graphwal.tool.ToolFixture.Run;
import io.graphwal.wal.SyncMode;
import io.graphwal.wal.WalConfig;

/**
 * Each state a running writer leaves a directory in, held in place with a gate in the writer's file layer or
 * produced at a chosen point of the tool's own reads, so that none is left to chance: the tool calls none of
 * them damage and gives no advice to move files. Real damage on a live directory is still an error.
 */
class LiveStatesTest {

    private static final String IN_USE = "the directory is in use by a running GraphWAL";

    @TempDir
    Path work;

    @ParameterizedTest
    @EnumSource(SyncMode.class)
    void aRecordHalfWrittenAtTheTailIsAWriteInProgressNotATornTail(SyncMode mode) throws Exception {
        WriterGate gate = new WriterGate();
        Path dir = work.resolve("graph");
        try (GraphDatabase db = GraphDatabase.open(config(dir, mode, gate))) {
            commit(db, 20);
            gate.holdNextRecordWrite();
            Committer committer = new Committer(db, 1);
            try {
                gate.awaitHeld();

                Run verify = run("verify", dir.toString());
                assertLive(verify, 20);
                assertThat(verify.outLines()).last().isEqualTo("OK");
                Run dump = run("dump", dir.toString());
                assertThat(dump.exit()).as(dump.err()).isZero();
                assertThat(dump.recordLines()).last().asString().startsWith("LSN 20: ");
                assertThat(dump.err()).startsWith("NOTE: " + IN_USE).doesNotContain("WARNING").doesNotContain("ERROR");
                assertLive(run("stats", dir.toString()), 20);
            } finally {
                gate.release();
                committer.join();
            }
        }
        Run after = run("verify", dir.toString());
        assertThat(after.exit()).as(after.err()).isZero();
        assertThat(after.out()).doesNotContain(IN_USE).contains("LSN 1 to 21");
    }

    @ParameterizedTest
    @EnumSource(SyncMode.class)
    void aSegmentWhoseHeaderIsBeingWrittenAtRolloverIsNotATornTail(SyncMode mode) throws Exception {
        WriterGate gate = new WriterGate();
        Path dir = work.resolve("graph");
        try (GraphDatabase db = GraphDatabase.open(config(dir, mode, gate))) {
            commit(db, 5);
            gate.holdNextSegmentHeader();
            Committer committer = new Committer(db, 200); // more than a segment holds: one rolls over
            try {
                gate.awaitHeld();
                long last = db.wal().appendedLsn();
                assertThat(segments(dir)).as("the new segment exists, still empty").hasSizeGreaterThan(1);

                for (String command : List.of("verify", "stats")) {
                    assertLive(run(command, dir.toString()), last);
                }
                Run dump = run("dump", dir.toString());
                assertThat(dump.exit()).as(dump.err()).isZero();
                assertThat(dump.recordLines()).last().asString().startsWith("LSN " + last + ": ");
            } finally {
                gate.release();
                committer.join();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(SyncMode.class)
    void aReadThatRacesTheWriterIsReadAgainInsteadOfCalledCorruption(SyncMode mode) throws Exception {
        Path dir = work.resolve("graph");
        try (GraphDatabase db = GraphDatabase.open(config(dir, mode, FileIO.standard()))) {
            commit(db, 20);
            for (String command : List.of("verify", "dump", "stats")) {
                Path newest = segments(dir).get(segments(dir).size() - 1);
                // The tool reads the tail of the newest segment; before it looks further, three more records
                // land behind what it read, each written after the one before it was made durable. The bytes it
                // read end where the new records start, so the new records seem to follow damage.
                AtomicInteger fired = new AtomicInteger();
                FileIO racing = new AfterFirstRead(newest, () -> {
                    fired.incrementAndGet();
                    for (int i = 0; i < 3; i++) {
                        commit(db, 1);
                        db.wal().flush();
                    }
                });

                Run result = run(racing, command, dir.toString());

                assertThat(fired).as(command).hasValue(1);
                assertThat(result.exit()).as("%s: %s", command, result.err()).isZero();
                assertThat(result.err()).as(command).doesNotContain("ERROR").doesNotContain("Corrupt");
            }
        }
    }

    @Test
    void segmentsPurgedAfterTheScanOpenedThemAreStillDumpedWhole() throws Exception {
        Path dir = work.resolve("graph");
        try (GraphDatabase db = GraphDatabase.open(config(dir, SyncMode.PER_COMMIT, FileIO.standard()))) {
            commit(db, 400);
            List<Path> before = segments(dir);
            assertThat(before).hasSizeGreaterThan(2);
            FileIO purging = new AfterFirstRead(before.get(before.size() - 1), db::checkpoint);

            Run dump = run(purging, "dump", dir.toString());

            assertThat(segments(dir)).as("the checkpoint purged the oldest segments").doesNotContain(before.get(0));
            assertThat(dump.exit()).as(dump.err()).isZero();
            assertThat(dump.recordLines()).hasSize(400).first().asString().startsWith("LSN 1: ");
        }
    }

    @Test
    void checkpointsThatPurgeTheLogPastEveryListedSnapshotMakeVerifyLookAgain() throws Exception {
        Path dir = work.resolve("graph");
        try (GraphDatabase db = GraphDatabase.open(config(dir, SyncMode.PER_COMMIT, FileIO.standard()))) {
            commit(db, 200);
            db.checkpoint();
            AtomicInteger lists = new AtomicInteger();
            FileIO checkpointing = new ForwardingFileIO(FileIO.standard()) {
                @Override
                public List<Path> list(Path directory) throws IOException {
                    if (lists.incrementAndGet() == 2) { // the snapshots were listed; the log is next
                        for (int i = 0; i < 2; i++) {
                            commit(db, 300);
                            db.checkpoint();
                        }
                    }
                    return super.list(directory);
                }
            };

            Run verify = run(checkpointing, "verify", dir.toString());

            assertThat(verify.exit()).as(verify.err()).isZero();
            assertThat(verify.outLines()).last().isEqualTo("OK");
            assertThat(lists.get()).as("it started over").isGreaterThan(2);
        }
    }

    @Test
    void damageInASealedSegmentOfALiveDirectoryIsAnErrorThatAdvisesStoppingFirst() throws Exception {
        Path dir = work.resolve("graph");
        try (GraphDatabase db = GraphDatabase.open(config(dir, SyncMode.PER_COMMIT, FileIO.standard()))) {
            commit(db, 300);
            RecordAt record = ToolFixture.records(segments(dir).get(0)).get(3);
            flipInPlace(record.segment(), record.offset() + ToolFixture.RECORD_HEADER_BYTES + 2);

            for (String command : List.of("verify", "dump", "stats")) {
                Run result = run(command, dir.toString());
                assertThat(result.exit()).as(command).isEqualTo(1);
                assertThat(result.err()).as(command).contains("Corrupt write-ahead log: " + record.segment())
                        .contains("in a sealed segment").contains("in use by a running GraphWAL")
                        .contains("Stop the application first and run verify again")
                        .doesNotContain("move this file");
            }
        }
    }

    @Test
    void damageInTheActiveSegmentThatStaysPutWhileTheLogWritesOnIsStillCorruption() throws Exception {
        Path dir = work.resolve("graph");
        try (GraphDatabase db = GraphDatabase.open(config(dir, SyncMode.PER_COMMIT, FileIO.standard()))) {
            commit(db, 20);
            Path active = segments(dir).get(segments(dir).size() - 1);
            // Records 6 to 20 were each written after the one before was durable, so they prove record 5 was.
            long offset = ToolFixture.SEGMENT_HEADER_BYTES;
            ByteBuffer header = ByteBuffer.allocate(ToolFixture.RECORD_HEADER_BYTES)
                    .order(java.nio.ByteOrder.LITTLE_ENDIAN);
            try (FileChannel channel = FileChannel.open(active, StandardOpenOption.READ)) {
                for (int i = 0; i < 4; i++) {
                    channel.read(header.clear(), offset);
                    offset += ToolFixture.RECORD_HEADER_BYTES + header.getInt(0);
                }
            }
            flipInPlace(active, offset + ToolFixture.RECORD_HEADER_BYTES + 2);

            Run verify = run("verify", dir.toString());

            assertThat(verify.exit()).isEqualTo(1);
            assertThat(verify.err()).contains("Corrupt write-ahead log: " + active + " at byte offset " + offset)
                    .contains("(LSN 5)").contains("read the same a second time")
                    .contains("Stop the application first and run verify again").doesNotContain("move this file");
        }
    }

    // ---------------------------------------------------------------------------------------------------------

    private static DatabaseConfig config(Path dir, SyncMode mode, FileIO io) {
        return new DatabaseConfig(WalConfig.builder(dir).syncMode(mode).segmentSize(32 * 1024).maxRecordSize(4096)
                .groupInterval(Duration.ofMillis(2)).fileIO(io).build(), 0, 2);
    }

    private static void commit(GraphDatabase db, int count) {
        for (int i = 0; i < count; i++) {
            db.commit(tx -> tx.createNode(List.of("Live"), Map.of("text", "z".repeat(150))));
        }
    }

    /** Commits on a thread of its own; {@link #join()} reports its failure. */
    private static final class Committer {
        private final AtomicReference<Throwable> failure = new AtomicReference<>();
        private final Thread thread;

        Committer(GraphDatabase db, int count) {
            thread = new Thread(() -> {
                try {
                    commit(db, count);
                } catch (Throwable e) {
                    failure.set(e);
                }
            }, "gated-committer");
            thread.setDaemon(true);
            thread.start();
        }

        void join() throws InterruptedException {
            thread.join();
            if (failure.get() != null) {
                throw new AssertionError("the committer failed", failure.get());
            }
        }
    }

    private static void assertLive(Run result, long lastLsn) {
        assertThat(result.exit()).as(result.err()).isZero();
        assertThat(result.err()).as("no warning or error for a write in progress").isEmpty();
        assertThat(result.out()).contains("live: " + IN_USE + " (pid " + ProcessHandle.current().pid())
                .contains("the tail past LSN " + lastLsn + " is being written");
    }

    /** Flips one byte where it lies, without rewriting (and so truncating) a file a running log has open. */
    private static void flipInPlace(Path file, long offset) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer one = ByteBuffer.allocate(1);
            channel.read(one, offset);
            one.put(0, (byte) (one.get(0) ^ 0xFF)).rewind();
            channel.write(one, offset);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Something a test does in the middle of the tool's read. */
    private interface Step {
        void run() throws Exception;
    }

    /** Runs a step once, right after the tool's first read of record bytes of one file returns. */
    private static final class AfterFirstRead extends ForwardingFileIO {
        private final Path target;
        private final Step step;
        private final AtomicBoolean done = new AtomicBoolean();

        AfterFirstRead(Path target, Step step) {
            super(FileIO.standard());
            this.target = target;
            this.step = step;
        }

        @Override
        protected FileHandle wrap(Path path, OpenMode mode, FileHandle handle) {
            if (!path.equals(target)) {
                return handle;
            }
            return new ForwardingHandle(handle) {
                @Override
                public int read(ByteBuffer destination, long position) throws IOException {
                    int read = delegate.read(destination, position);
                    if (position >= ToolFixture.SEGMENT_HEADER_BYTES && done.compareAndSet(false, true)) {
                        try {
                            step.run();
                        } catch (Exception e) {
                            throw new AssertionError("the step in the middle of the read failed", e);
                        }
                    }
                    return read;
                }
            };
        }
    }

    /**
     * The writer's file layer, which can stop the next write of a record half-way (its first half in the
     * file) or the next segment header before any byte of it, until the test lets it go.
     */
    private static final class WriterGate extends ForwardingFileIO {
        private enum Hold { NONE, RECORD, HEADER }

        private volatile Hold armed = Hold.NONE;
        private final CountDownLatch held = new CountDownLatch(1);
        private final CountDownLatch released = new CountDownLatch(1);

        WriterGate() {
            super(FileIO.standard());
        }

        void holdNextRecordWrite() {
            armed = Hold.RECORD;
        }

        void holdNextSegmentHeader() {
            armed = Hold.HEADER;
        }

        void awaitHeld() throws InterruptedException {
            assertThat(held.await(60, TimeUnit.SECONDS)).as("the writer reached the gate").isTrue();
        }

        void release() {
            released.countDown();
        }

        @Override
        protected FileHandle wrap(Path path, OpenMode mode, FileHandle handle) {
            if (!path.getFileName().toString().endsWith(".wal")) {
                return handle;
            }
            return new ForwardingHandle(handle) {
                @Override
                public void write(ByteBuffer source, long position) throws IOException {
                    Hold hold = armed;
                    if (hold == Hold.HEADER && position == 0) {
                        armed = Hold.NONE;
                        stop();
                    } else if (hold == Hold.RECORD && position > 0 && !zeros(source)) {
                        armed = Hold.NONE;
                        ByteBuffer firstHalf = source.duplicate();
                        firstHalf.limit(source.position() + source.remaining() / 2);
                        int written = firstHalf.remaining();
                        delegate.write(firstHalf, position);
                        stop();
                        source.position(source.position() + written);
                        position += written;
                    }
                    delegate.write(source, position);
                }
            };
        }

        private void stop() throws IOException {
            held.countDown();
            try {
                if (!released.await(60, TimeUnit.SECONDS)) {
                    throw new IOException("the test never released the gate");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted at the gate", e);
            }
        }

        private static boolean zeros(ByteBuffer source) {
            for (int i = source.position(); i < source.limit(); i++) {
                if (source.get(i) != 0) {
                    return false;
                }
            }
            return true;
        }
    }
}
