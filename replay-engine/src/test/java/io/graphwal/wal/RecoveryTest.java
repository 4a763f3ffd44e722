package io.graphwal.wal;

import static io.graphwal.wal.LogFiles.PREFIX;
import static io.graphwal.wal.LogFiles.SEGMENT_HEADER_BYTES;
import static io.graphwal.wal.LogFiles.appendRecords;
import static io.graphwal.wal.LogFiles.assertNames;
import static io.graphwal.wal.LogFiles.copyLog;
import static io.graphwal.wal.LogFiles.createFile;
import static io.graphwal.wal.LogFiles.flip;
import static io.graphwal.wal.LogFiles.overwrite;
import static io.graphwal.wal.LogFiles.read;
import static io.graphwal.wal.LogFiles.refusal;
import static io.graphwal.wal.LogFiles.segmentHeader;
import static io.graphwal.wal.LogFiles.segmentName;
import static io.graphwal.wal.LogFiles.size;
import static io.graphwal.wal.LogFiles.small;
import static io.graphwal.wal.LogFiles.truncate;
import static io.graphwal.wal.LogFiles.write;
import static io.graphwal.wal.WalFixtures.expected;
import static io.graphwal.wal.WalFixtures.readAll;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import io.graphwal.wal.LogFiles.Layout;
import io.graphwal.wal.LogFiles.Location;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Recovery of whole segment files: a crash while a segment was being created, damaged headers, missing
 * segments and files that only look like segments.
 */
class RecoveryTest {

    private static final int RECORDS = 400;
    private static final long NEXT = RECORDS + 1;

    @TempDir
    static Path templates;

    /** 400 records in per-commit mode over at least three segments. */
    private static Path perCommit;
    private static Layout layout;

    @TempDir
    Path dir;

    @BeforeAll
    static void writeTemplate() {
        perCommit = templates.resolve("per-commit");
        write(small(perCommit).build(), 1, RECORDS);
        layout = Layout.of(perCommit);
        assertThat(layout.segmentCount()).isGreaterThanOrEqualTo(3);
    }

    @Test
    void aCleanLogReportsItsSegmentsAndRecordsAndNoTornTail() {
        try (WriteAheadLog wal = WriteAheadLog.open(small(copyLog(perCommit, dir), TornTailPolicy.FAIL))) {
            RecoveryReport report = wal.recovery();
            assertThat(report.segments()).isEqualTo(layout.segmentCount());
            assertThat(report.firstLsn()).isEqualTo(1);
            assertThat(report.lastLsn()).isEqualTo(RECORDS);
            assertThat(report.records()).isEqualTo(RECORDS);
            assertThat(report.truncatedTornTail()).isFalse();
            assertThat(report.tornTailFile()).isNull();
            assertThat(report.droppedFromLsn()).isZero();
            assertThat(report.droppedToLsn()).isZero();
        }
    }

    @Test
    void theSegmentHeadersOnDiskAreTheDocumentedOnes() {
        for (int i = 0; i < layout.segmentCount(); i++) {
            assertThat(read(perCommit.resolve(layout.file(i)), 0, SEGMENT_HEADER_BYTES))
                    .isEqualTo(segmentHeader(layout.firstLsnOf(i)));
        }
    }

    @Test
    void anEmptyLastSegmentLeftByACrashWhileCreatingItIsDeleted() {
        Path torn = copyLog(perCommit, dir).resolve(segmentName(NEXT));
        createFile(torn, new byte[0]);

        try (WriteAheadLog wal = WriteAheadLog.open(small(dir).syncMode(SyncMode.NONE).build())) {
            assertThat(torn).doesNotExist();
            assertThat(wal.recovery().tornTailFile()).isEqualTo(torn);
            assertThat(wal.recovery().segments()).isEqualTo(layout.segmentCount());
            assertThat(wal.recovery().lastLsn()).isEqualTo(RECORDS);
            assertThat(readAll(wal, 1)).isEqualTo(expected(1, RECORDS, PREFIX));
            appendRecords(wal, NEXT, NEXT + 200);
        }
        checkReopensCleanWith(NEXT + 200);
    }

    @Test
    void aLastSegmentShorterThanItsHeaderIsDeletedAndReported() {
        for (int length : new int[] {1, 4, 10, SEGMENT_HEADER_BYTES - 1}) {
            String what = "a header of " + length + " bytes";
            Path log = copyLog(perCommit, dir.resolve("short-" + length));
            Path torn = log.resolve(segmentName(NEXT));
            createFile(torn, Arrays.copyOf(segmentHeader(NEXT), length));

            try (WriteAheadLog wal = WriteAheadLog.open(small(log, TornTailPolicy.TRUNCATE))) {
                assertThat(torn).as(what).doesNotExist();
                RecoveryReport report = wal.recovery();
                assertThat(report.tornTailBytes()).as(what).isEqualTo(length);
                assertThat(report.tornTailFile()).as(what).isEqualTo(torn);
                assertThat(report.droppedFromLsn()).as(what).isEqualTo(NEXT);
                assertThat(report.lastLsn()).as(what).isEqualTo(RECORDS);
                assertThat(readAll(wal, 1)).as(what).isEqualTo(expected(1, RECORDS, PREFIX));
                appendRecords(wal, NEXT, NEXT + 2);
            }
        }
    }

    @Test
    void aLastSegmentWithAnyByteOfItsHeaderDamagedAndNoRecordsIsDeleted() {
        for (int at = 0; at < SEGMENT_HEADER_BYTES; at++) {
            String what = "header byte " + at + " damaged";
            Path log = copyLog(perCommit, dir.resolve("header-" + at));
            Path torn = log.resolve(segmentName(NEXT));
            byte[] header = segmentHeader(NEXT);
            header[at] ^= (byte) 0xFF;
            createFile(torn, header);

            try (WriteAheadLog wal = WriteAheadLog.open(small(log, TornTailPolicy.TRUNCATE))) {
                assertThat(torn).as(what).doesNotExist();
                assertThat(wal.recovery().tornTailBytes()).as(what).isEqualTo(SEGMENT_HEADER_BYTES);
                assertThat(readAll(wal, 1)).as(what).isEqualTo(expected(1, RECORDS, PREFIX));
            }
        }
    }

    @Test
    void aFirstSegmentTornWhileTheLogWasBeingCreatedIsReplacedByANewOne() {
        Path torn = dir.resolve(segmentName(1));
        createFile(torn, Arrays.copyOf(segmentHeader(1), 12));

        try (WriteAheadLog wal = WriteAheadLog.open(small(dir, TornTailPolicy.TRUNCATE))) {
            assertThat(wal.recovery().tornTailFile()).isEqualTo(torn);
            assertThat(wal.recovery().segments()).isZero();
            assertThat(wal.recovery().records()).isZero();
            appendRecords(wal, 1, 3);
        }
        assertThat(read(torn, 0, SEGMENT_HEADER_BYTES)).isEqualTo(segmentHeader(1));
        checkReopensCleanWith(3);
    }

    @Test
    void theOnlySegmentLeftAfterAPurgeTornAtCreationIsReplacedAtItsOwnFirstLsn() {
        Path torn = dir.resolve(segmentName(NEXT));
        createFile(torn, new byte[0]);

        try (WriteAheadLog wal = WriteAheadLog.open(small(dir, TornTailPolicy.TRUNCATE))) {
            appendRecords(wal, NEXT, NEXT + 1);
            assertThat(wal.firstLsn()).isEqualTo(NEXT);
            assertThat(readAll(wal, NEXT)).isEqualTo(expected(NEXT, NEXT + 1, PREFIX));
        }
        assertThat(read(torn, 0, SEGMENT_HEADER_BYTES)).isEqualTo(segmentHeader(NEXT));
    }

    @Test
    void aLastSegmentWithAValidHeaderAndNoRecordsIsKeptAndAppendedTo() {
        Path created = copyLog(perCommit, dir).resolve(segmentName(NEXT));
        createFile(created, segmentHeader(NEXT));

        try (WriteAheadLog wal = WriteAheadLog.open(small(dir, TornTailPolicy.FAIL))) {
            assertThat(wal.recovery().truncatedTornTail()).isFalse();
            assertThat(wal.recovery().segments()).isEqualTo(layout.segmentCount() + 1);
            assertThat(wal.recovery().lastLsn()).isEqualTo(RECORDS);
            appendRecords(wal, NEXT, NEXT);
        }
        assertThat(size(created)).isEqualTo(SEGMENT_HEADER_BYTES + LogFiles.recordSize(NEXT));
        checkReopensCleanWith(NEXT);
    }

    @Test
    void aNewSegmentWhoseFirstRecordNeverReachedTheDiskIsAnEmptySegmentThatTakesTheNextRecord() {
        Path created = copyLog(perCommit, dir).resolve(segmentName(NEXT));
        byte[] headerThenZeros = Arrays.copyOf(segmentHeader(NEXT), SEGMENT_HEADER_BYTES + 100);
        createFile(created, headerThenZeros);

        try (WriteAheadLog wal = WriteAheadLog.open(small(dir, TornTailPolicy.FAIL))) {
            assertThat(wal.recovery().tornTailBytes()).isZero();
            assertThat(wal.recovery().lastLsn()).isEqualTo(NEXT - 1);
            appendRecords(wal, NEXT, NEXT + 10);
        }
        assertThat(Files.exists(created)).isTrue();
        checkReopensCleanWith(NEXT + 10);
    }

    @Test
    void aTornSegmentIsRefusedAndKeptUnderTheFailPolicy() {
        Path torn = copyLog(perCommit, dir).resolve(segmentName(NEXT));
        createFile(torn, Arrays.copyOf(segmentHeader(NEXT), 10));

        WalCorruptionException e = refusal(small(dir, TornTailPolicy.FAIL), "torn segment under the fail policy");
        assertThat(e.getMessage()).contains("torn-tail");
        assertNames(e, torn, 0, NEXT, "torn segment");
        assertThat(size(torn)).isEqualTo(10);
    }

    @Test
    void aDamagedHeaderOnALastSegmentThatHoldsRecordsIsRefused() {
        checkEveryHeaderByteIsRefused(layout.segmentCount() - 1);
    }

    @Test
    void aDamagedHeaderOnAMiddleSegmentIsRefused() {
        checkEveryHeaderByteIsRefused(1);
    }

    @Test
    void aDamagedHeaderOnTheFirstSegmentIsRefused() {
        checkEveryHeaderByteIsRefused(0);
    }

    private void checkEveryHeaderByteIsRefused(int segment) {
        Path file = copyLog(perCommit, dir).resolve(layout.file(segment));
        long size = size(file);
        for (int at = 0; at < SEGMENT_HEADER_BYTES; at++) {
            String what = "byte " + at + " of the header of " + layout.file(segment);
            flip(file, at, 0xFF);

            WalCorruptionException e = refusal(small(dir, TornTailPolicy.TRUNCATE), what);
            assertNames(e, file, 0, layout.firstLsnOf(segment), what);
            assertThat(file).as(what).exists();
            assertThat(size(file)).as(what).isEqualTo(size);
            flip(file, at, 0xFF);
        }
    }

    @Test
    void aSealedSegmentThatReadsAsAllZerosIsRefusedAndKept() {
        for (int segment = 0; segment < layout.segmentCount() - 1; segment++) {
            String what = layout.file(segment) + " zero-filled";
            Path file = copyLog(perCommit, dir.resolve("zeros-" + segment)).resolve(layout.file(segment));
            long size = size(file);
            overwrite(file, 0, new byte[(int) size]);

            WalCorruptionException e = refusal(small(file.getParent(), TornTailPolicy.TRUNCATE), what);
            assertNames(e, file, 0, layout.firstLsnOf(segment), what);
            assertThat(file).as(what).exists();
            assertThat(size(file)).as(what).isEqualTo(size);
        }
    }

    /**
     * The crash came while rolling over: the full segment was sealed and its successor's header was not yet
     * durable. The next append rolls over again and creates the successor under the same name.
     */
    @Test
    void aSegmentTornWhileRollingOverIsCreatedAgainByTheNextAppend() throws IOException {
        copyLog(perCommit, dir);
        for (int segment = 1; segment < layout.segmentCount(); segment++) {
            Files.delete(dir.resolve(layout.file(segment)));
        }
        long full = layout.lastLsnOf(0);
        Path torn = dir.resolve(layout.file(1));
        assertThat(torn.getFileName().toString()).isEqualTo(segmentName(full + 1));
        createFile(torn, Arrays.copyOf(segmentHeader(full + 1), 7));

        try (WriteAheadLog wal = WriteAheadLog.open(small(dir, TornTailPolicy.TRUNCATE))) {
            assertThat(wal.recovery().tornTailFile()).isEqualTo(torn);
            assertThat(wal.recovery().lastLsn()).isEqualTo(full);
            appendRecords(wal, full + 1, full + 1);
            assertThat(wal.status().segmentCount()).isEqualTo(2);
        }
        assertThat(read(torn, 0, SEGMENT_HEADER_BYTES)).isEqualTo(segmentHeader(full + 1));
        checkReopensCleanWith(full + 1);
    }

    @Test
    void aSegmentWhoseHeaderNamesAnotherFirstLsnThanItsFileIsRefused() {
        Path file = copyLog(perCommit, dir).resolve(layout.file(1));
        overwrite(file, 0, segmentHeader(layout.firstLsnOf(1) + 1));

        WalCorruptionException e = refusal(small(dir, TornTailPolicy.TRUNCATE), "header of the wrong segment");
        assertNames(e, file, 0, layout.firstLsnOf(1), "header of the wrong segment");
        assertThat(e.getMessage()).contains(String.valueOf(layout.firstLsnOf(1) + 1));
    }

    @Test
    void aMissingMiddleSegmentIsRefusedAsAnLsnGap() throws IOException {
        Files.delete(copyLog(perCommit, dir).resolve(layout.file(1)));

        WalCorruptionException e = refusal(small(dir, TornTailPolicy.TRUNCATE), "middle segment deleted");
        assertNames(e, dir.resolve(layout.file(2)), 0, layout.firstLsnOf(1), "gap");
        assertThat(e.getMessage()).containsIgnoringCase("gap")
                .containsPattern("\\b" + layout.lastLsnOf(0) + "\\b")
                .containsPattern("\\b" + layout.firstLsnOf(2) + "\\b");
    }

    @Test
    void aLogWhoseOldestSegmentWasPurgedOpensFromItsFirstRemainingLsn() throws IOException {
        Files.delete(copyLog(perCommit, dir).resolve(layout.file(0)));
        long first = layout.firstLsnOf(1);

        try (WriteAheadLog wal = WriteAheadLog.open(small(dir, TornTailPolicy.FAIL))) {
            assertThat(wal.recovery().firstLsn()).isEqualTo(first);
            assertThat(wal.recovery().records()).isEqualTo(RECORDS - first + 1);
            assertThat(wal.firstLsn()).isEqualTo(first);
            assertThat(readAll(wal, first)).isEqualTo(expected(first, RECORDS, PREFIX));
        }
    }

    /**
     * A stray {@code .wal} file whose name is not a first LSN is refused before anything is changed: it is
     * still there afterwards, and so is a torn tail planted in the last segment. In an otherwise empty
     * directory, or next to a log it could be taken to continue, a stray file taken for a torn last segment
     * would be deleted.
     */
    @Test
    void aStrayFileThatOnlyLooksLikeASegmentIsRefusedBeforeAnythingIsChanged() throws IOException {
        String[] names = {
            "foo.wal",
            "1.wal",
            "0000000000000000001.wal",
            "000000000000000000001.wal",
            "0000000000000000001a.wal",
            "-0000000000000000001.wal",
            "00000000000000000000.wal",
            // Twenty digits, but more than a long holds: must not wrap around to LSN 401.
            BigInteger.TWO.pow(64).add(BigInteger.valueOf(NEXT)) + ".wal",
        };
        Location last = layout.at(RECORDS);
        int cases = 0;
        for (String name : names) {
            for (String beside : new String[] {"no log", "a clean log", "a torn tail"}) {
                String what = name + " beside " + beside;
                Path log = dir.resolve("stray-" + cases++);
                Path lastFile = last.in(log);
                long lastSize = beside.equals("a torn tail") ? last.end() - 1 : last.end();
                if (beside.equals("no log")) {
                    Files.createDirectories(log);
                } else {
                    copyLog(perCommit, log);
                    truncate(lastFile, lastSize);
                }
                Path stray = log.resolve(name);
                createFile(stray, "not a segment".getBytes(StandardCharsets.UTF_8));

                WalCorruptionException e = refusal(small(log, TornTailPolicy.TRUNCATE), what);
                assertThat(e.file()).as(what).isEqualTo(stray);
                assertThat(e.getMessage()).as(what).contains(name);
                assertThat(stray).as(what).exists();
                assertThat(LogFiles.segments(log)).as(what).filteredOn(segment -> !segment.equals(stray))
                        .hasSize(beside.equals("no log") ? 0 : layout.segmentCount());
                if (!beside.equals("no log")) {
                    assertThat(size(lastFile)).as(what).isEqualTo(lastSize);
                }

                Files.delete(stray);
                try (WriteAheadLog wal = WriteAheadLog.open(small(log, TornTailPolicy.TRUNCATE))) {
                    assertThat(wal.recovery().truncatedTornTail()).as(what).isEqualTo(beside.equals("a torn tail"));
                }
            }
        }
    }

    @Test
    void filesThatDoNotEndInDotWalAreLeftAlone() {
        Path log = copyLog(perCommit, dir);
        String[] names = {"notes.txt", segmentName(1) + ".bak", segmentName(NEXT) + ".tmp", "wal"};
        for (String name : names) {
            createFile(log.resolve(name), "keep me".getBytes(StandardCharsets.UTF_8));
        }
        try (WriteAheadLog wal = WriteAheadLog.open(small(log, TornTailPolicy.FAIL))) {
            assertThat(wal.recovery().records()).isEqualTo(RECORDS);
        }
        for (String name : names) {
            assertThat(log.resolve(name)).hasContent("keep me");
        }
    }

    private void checkReopensCleanWith(long last) {
        try (WriteAheadLog wal = WriteAheadLog.open(small(dir, TornTailPolicy.FAIL))) {
            assertThat(wal.recovery().tornTailBytes()).isZero();
            assertThat(wal.recovery().lastLsn()).isEqualTo(last);
            assertThat(readAll(wal, 1)).isEqualTo(expected(1, last, PREFIX));
        }
        assertThat(Layout.of(dir).lastLsn()).isEqualTo(last);
    }
}
