package io.graphwal.wal;

import static io.graphwal.wal.WalFixtures.TYPE;
import static io.graphwal.wal.WalFixtures.expected;
import static io.graphwal.wal.WalFixtures.payload;
import static io.graphwal.wal.WalFixtures.readAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * On Linux, group and none modes write the active segment through a memory mapping: the file is grown to the
 * segment size while it is active, records are visible to readers and to a copy of the directory (what a
 * killed process leaves) at once, sealing and close cut the file back to its last record and release the
 * mapping, and a copy that faults poisons the log instead of crashing or acknowledging.
 */
@EnabledOnOs(OS.LINUX)
class MappedSegmentTest {

    private static final long SEGMENT_SIZE = 256 * 1024;

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(value = SyncMode.class, names = {"GROUP", "NONE"})
    void theActiveSegmentIsMappedAtFullSizeAndEndsAtItsLastRecordOnceClosed(SyncMode mode) {
        Path segment = dir.resolve(WalFormat.segmentFileName(1));
        long bytes;
        try (WriteAheadLog wal = WriteAheadLog.open(config(dir, mode).build())) {
            append(wal, 1, 20);
            bytes = wal.status().segmentBytes();
            assertThat(size(segment)).isEqualTo(SEGMENT_SIZE);
            assertThat(readAll(wal, 1)).as("a reader sees mapped records at once").isEqualTo(expected(1, 20, "r"));
        }
        assertThat(size(segment)).isEqualTo(bytes);
        try (WriteAheadLog wal = WriteAheadLog.open(config(dir, mode).tornTail(TornTailPolicy.FAIL).build())) {
            assertThat(readAll(wal, 1)).isEqualTo(expected(1, 20, "r"));
        }
    }

    /** A copy taken while the log is open holds what a kill -9 leaves: the page cache, zeros after it. */
    @Test
    void aCopyOfAnOpenLogRecoversEveryRecordWrittenThroughTheMapping() throws IOException {
        Path copy = Files.createDirectory(dir.resolve("copy"));
        Path live = dir.resolve("live");
        try (WriteAheadLog wal = WriteAheadLog.open(config(live, SyncMode.NONE).build())) {
            append(wal, 1, 50);
            assertThat(wal.durableLsn()).as("none mode has not fsynced").isZero();
            copySegments(live, copy);
        }
        try (WriteAheadLog wal = WriteAheadLog.open(config(copy, SyncMode.NONE).tornTail(TornTailPolicy.FAIL)
                .build())) {
            assertThat(wal.recovery().truncatedTornTail()).isFalse();
            assertThat(wal.recovery().lastLsn()).isEqualTo(50);
            append(wal, 51, 60);
            assertThat(readAll(wal, 1)).isEqualTo(expected(1, 60, "r"));
        }
    }

    @Test
    void sealedSegmentsEndAtTheirLastRecordAndTheirMappingsAreReleased() throws IOException {
        // None mode: a group flusher's fsync would release the active segment's window at any moment.
        WalConfig config = config(dir, SyncMode.NONE).build();
        ByteBuffer record = ByteBuffer.allocate(16 * 1024);
        try (WriteAheadLog wal = WriteAheadLog.open(config)) {
            while (wal.segments().length < 4) {
                wal.append(TYPE, record.clear());
            }
            Segment[] segments = wal.segments();
            for (int i = 0; i < segments.length - 1; i++) {
                assertThat(size(segments[i].path())).as("sealed " + segments[i]).isEqualTo(segments[i].endOffset());
            }
            assertThat(mappedFiles()).as("only the active segment is mapped")
                    .noneMatch(line -> line.contains(segments[0].path().getFileName().toString()))
                    .noneMatch(line -> line.contains(segments[1].path().getFileName().toString()))
                    .noneMatch(line -> line.contains(segments[2].path().getFileName().toString()));
            wal.append(TYPE, record.clear());
            assertThat(mappedFiles()).anyMatch(line -> line.contains(segments[3].path().getFileName().toString()));
            long last = wal.appendedLsn();
            assertThat(wal.purgeUpTo(last)).isEqualTo(3);
        }
        assertThat(mappedFiles()).as("nothing stays mapped after close")
                .noneMatch(line -> line.contains(dir.toString()));
    }

    /**
     * The JVM raises a fault in a mapped copy when the thread next checks for it; from Java 22 on that was, in
     * every run seen, inside the copy or on returning from the write, where the log poisons itself. Java 17
     * can raise it later still, so the test runs from 22 on.
     */
    @Test
    void aCopyThatFaultsIsNotAcknowledgedAndTheLogRecoversAPrefix() throws IOException {
        assumeTrue(Runtime.version().feature() >= 22, "Java 17 raises a fault in a mapped copy late");
        Path segment = dir.resolve(WalFormat.segmentFileName(1));
        try (WriteAheadLog wal = WriteAheadLog.open(config(dir, SyncMode.NONE).build())) {
            append(wal, 1, 30);
            long end = wal.status().segmentBytes();
            // Cut the file at the start of the page the next record goes to: that page then lies wholly past the
            // end of the file, and touching it through the mapping faults.
            try (FileChannel other = FileChannel.open(segment, StandardOpenOption.WRITE)) {
                other.truncate(end - end % 4096);
            }
            Throwable thrown = catchThrowable(() -> wal.append(TYPE, payload("r31")));
            assertThat(thrown).as("the record was not acknowledged")
                    .isInstanceOfAny(WalPoisonedException.class, InternalError.class);
            if (thrown instanceof WalPoisonedException) {
                assertThat(thrown).hasMessageContaining("write of LSN 31");
                assertThat(wal.appendedLsn()).isEqualTo(30);
                assertThatThrownBy(() -> wal.append(TYPE, payload("r32"))).isInstanceOf(WalPoisonedException.class);
                assertThatThrownBy(wal::flush).isInstanceOf(WalPoisonedException.class);
            }
        }
        try (WriteAheadLog wal = WriteAheadLog.open(config(dir, SyncMode.NONE).build())) {
            long last = wal.recovery().lastLsn();
            assertThat(last).isLessThan(31);
            assertThat(readAll(wal, 1)).isEqualTo(expected(1, last, "r"));
        }
    }

    private static WalConfig.Builder config(Path directory, SyncMode mode) {
        return WalConfig.builder(directory).syncMode(mode).segmentSize(SEGMENT_SIZE).maxRecordSize(16 * 1024);
    }

    private static void append(WriteAheadLog wal, long from, long to) {
        for (long lsn = from; lsn <= to; lsn++) {
            assertThat(wal.append(TYPE, payload("r" + lsn))).isEqualTo(lsn);
        }
    }

    private static void copySegments(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.list(from)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".wal")).toList()) {
                Files.copy(file, to.resolve(file.getFileName()));
            }
        }
    }

    private static List<String> mappedFiles() throws IOException {
        return Files.readAllLines(Path.of("/proc/self/maps"));
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
