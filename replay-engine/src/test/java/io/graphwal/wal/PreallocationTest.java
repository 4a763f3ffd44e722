package io.graphwal.wal;

import static io.graphwal.wal.WalFixtures.TYPE;
import static io.graphwal.wal.WalFixtures.config;
import static io.graphwal.wal.WalFixtures.expected;
import static io.graphwal.wal.WalFixtures.payload;
import static io.graphwal.wal.WalFixtures.readAll;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.graphwal.io.FileHandle;
import io.graphwal.io.FileIO;
import io.graphwal.io.ForwardingFileIO;

/**
 * In per-commit mode the active segment is zero-filled ahead of its records, so that fsyncs overwrite
 * allocated blocks; sealed and cleanly closed segments end at their last record; zeros left by a process that
 * died are read as the end of the log.
 */
class PreallocationTest {

    private static final int CHUNK = SegmentWriter.PREALLOCATION_CHUNK;

    @TempDir
    Path dir;

    @Test
    void theActiveSegmentIsZeroFilledAChunkAheadAndEndsAtItsLastRecordOnceClosed() {
        Path segment = dir.resolve(WalFormat.segmentFileName(1));
        long bytes;
        try (WriteAheadLog wal = WriteAheadLog.open(config(dir).build())) {
            appendRange(wal, 1, 10, "r");
            bytes = wal.status().segmentBytes();
            assertThat(size(segment)).isEqualTo(CHUNK);
            assertThat(isZeros(segment, bytes, CHUNK)).as("the space after the records is zeros").isTrue();
        }
        assertThat(size(segment)).isEqualTo(bytes);
        try (WriteAheadLog wal = WriteAheadLog.open(config(dir).tornTail(TornTailPolicy.FAIL).build())) {
            assertThat(readAll(wal, 1)).isEqualTo(expected(1, 10, "r"));
        }
    }

    @Test
    void preallocationGrowsAChunkAtATimeAndStopsAtTheSegmentSize() {
        long segmentSize = 2 * CHUNK + CHUNK / 2;
        Path segment = dir.resolve(WalFormat.segmentFileName(1));
        WalConfig config = config(dir).segmentSize(segmentSize).maxRecordSize(64 * 1024).build();
        try (WriteAheadLog wal = WriteAheadLog.open(config)) {
            ByteBuffer record = ByteBuffer.allocate(60 * 1024);
            assertThat(size(segment)).as("nothing is zero-filled before the first record").isLessThan(CHUNK);
            do {
                wal.append(TYPE, record.clear());
                long expected = wal.status().segmentBytes() <= CHUNK ? CHUNK : 2L * CHUNK;
                assertThat(size(segment)).isEqualTo(expected);
            } while (wal.status().segmentBytes() + record.capacity() + 64 <= 2L * CHUNK);
            wal.append(TYPE, record.clear());
            assertThat(size(segment)).as("never zero-filled past the segment size").isEqualTo(segmentSize);
            assertThat(wal.status().segmentCount()).isOne();
        }
    }

    @Test
    void sealedSegmentsEndAtTheirLastRecordWhileTheActiveOneIsZeroFilledAhead() throws IOException {
        WalConfig config = config(dir).segmentSize(4096).maxRecordSize(512).build();
        try (WriteAheadLog wal = WriteAheadLog.open(config)) {
            appendRange(wal, 1, 300, "record-");
            Segment[] segments = wal.segments();
            assertThat(segments.length).isGreaterThan(2);
            for (int i = 0; i < segments.length - 1; i++) {
                assertThat(size(segments[i].path())).as("sealed %s", segments[i]).isEqualTo(segments[i].endOffset());
            }
            Segment active = segments[segments.length - 1];
            assertThat(size(active.path())).as("active %s", active).isEqualTo(4096);
        }
    }

    @Test
    void zerosLeftByAProcessThatDiedAreTheEndOfTheLogAndTheNextRecordsOverwriteThem() throws IOException {
        Path copy = Files.createDirectory(dir.resolve("after-crash"));
        Path log = Files.createDirectory(dir.resolve("log"));
        long bytes;
        try (WriteAheadLog wal = WriteAheadLog.open(config(log).build())) {
            appendRange(wal, 1, 50, "r");
            bytes = wal.status().segmentBytes();
            // What a kill -9 leaves behind: the files as they are now, zero-filled tail included.
            for (Path file : segmentFiles(log)) {
                Files.copy(file, copy.resolve(file.getFileName()));
            }
        }
        Path segment = copy.resolve(WalFormat.segmentFileName(1));
        assertThat(size(segment)).isEqualTo(CHUNK);

        try (WriteAheadLog wal = WriteAheadLog.open(config(copy).tornTail(TornTailPolicy.FAIL).build())) {
            assertThat(wal.recovery().truncatedTornTail()).isFalse();
            assertThat(wal.recovery().lastLsn()).isEqualTo(50);
            assertThat(size(segment)).as("the zeros are kept for the records to come").isEqualTo(CHUNK);
            appendRange(wal, 51, 60, "r");
        }
        try (WriteAheadLog wal = WriteAheadLog.open(config(copy).tornTail(TornTailPolicy.FAIL).build())) {
            assertThat(readAll(wal, 1)).isEqualTo(expected(1, 60, "r"));
            assertThat(wal.status().segmentBytes()).isGreaterThan(bytes).isEqualTo(size(segment));
        }
    }

    @Test
    void switchedOffEveryRecordGrowsTheFile() {
        checkEveryRecordGrowsTheFile(config(dir).preallocate(false));
    }

    /**
     * Appends in these modes never wait for an fsync, so zero-filling would only double their writes. (On
     * Linux their segments are mapped instead, which MappedSegmentTest covers; a file layer that cannot map
     * shows the system-call path.)
     */
    @ParameterizedTest
    @EnumSource(value = SyncMode.class, names = {"GROUP", "NONE"})
    void groupAndNoneModesNeverPreallocate(SyncMode mode) {
        FileIO unmapped = new ForwardingFileIO(FileIO.standard()) {
            @Override
            protected FileHandle wrap(Path path, OpenMode openMode, FileHandle handle) {
                return new ForwardingHandle(handle);
            }
        };
        checkEveryRecordGrowsTheFile(config(dir).syncMode(mode).fileIO(unmapped));
    }

    private void checkEveryRecordGrowsTheFile(WalConfig.Builder config) {
        Path segment = dir.resolve(WalFormat.segmentFileName(1));
        try (WriteAheadLog wal = WriteAheadLog.open(config.build())) {
            for (long lsn = 1; lsn <= 10; lsn++) {
                wal.append(TYPE, payload("r" + lsn));
                assertThat(size(segment)).isEqualTo(wal.status().segmentBytes());
            }
        }
    }

    private static void appendRange(WriteAheadLog wal, long from, long to, String prefix) {
        for (long lsn = from; lsn <= to; lsn++) {
            assertThat(wal.append(TYPE, payload(prefix + lsn))).isEqualTo(lsn);
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean isZeros(Path file, long from, long to) {
        try {
            byte[] all = Files.readAllBytes(file);
            for (long i = from; i < to; i++) {
                if (all[(int) i] != 0) {
                    return false;
                }
            }
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Path> segmentFiles(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(path -> path.toString().endsWith(WalFormat.SEGMENT_SUFFIX)).sorted().toList();
        }
    }
}
