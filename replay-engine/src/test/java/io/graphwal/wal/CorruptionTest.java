package io.graphwal.wal;

import static io.graphwal.wal.LogFiles.PREFIX;
import static io.graphwal.wal.LogFiles.RECORD_HEADER_BYTES;
import static io.graphwal.wal.LogFiles.append;
import static io.graphwal.wal.LogFiles.appendRecords;
import static io.graphwal.wal.LogFiles.assertNames;
import static io.graphwal.wal.LogFiles.copyLog;
import static io.graphwal.wal.LogFiles.flip;
import static io.graphwal.wal.LogFiles.overwrite;
import static io.graphwal.wal.LogFiles.read;
import static io.graphwal.wal.LogFiles.refusal;
import static io.graphwal.wal.LogFiles.rewriteChecksum;
import static io.graphwal.wal.LogFiles.segments;
import static io.graphwal.wal.LogFiles.size;
import static io.graphwal.wal.LogFiles.small;
import static io.graphwal.wal.LogFiles.truncate;
import static io.graphwal.wal.LogFiles.write;
import static io.graphwal.wal.WalFixtures.expected;
import static io.graphwal.wal.WalFixtures.readAll;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import io.graphwal.wal.LogFiles.Damage;
import io.graphwal.wal.LogFiles.Layout;
import io.graphwal.wal.LogFiles.Location;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damage that a crash cannot explain is refused, whatever the torn-tail policy, with the file, byte offset
 * and LSN named, and without touching the files.
 */
class CorruptionTest {

    private static final int RECORDS = 400;
    /** Bit patterns XORed into a byte; 0 stands for "set the byte to zero". */
    private static final int[] PATTERNS = {0x01, 0x80, 0xFF, 0};

    @TempDir
    static Path templates;

    /** 400 records in per-commit mode: each record's writer knew every earlier record was durable. */
    private static Path perCommit;
    /** Records 1..10 appended in none mode, flushed, then 11..20 appended without a flush. */
    private static Path flushedHalfway;
    /** Records 1..10 appended in none mode and closed, then 11..20 appended after a reopen. */
    private static Path reopenedHalfway;

    @TempDir
    Path dir;

    @BeforeAll
    static void writeTemplates() {
        perCommit = templates.resolve("per-commit");
        write(small(perCommit).build(), 1, RECORDS);
        assertThat(Layout.of(perCommit).segmentCount()).isGreaterThanOrEqualTo(3);

        flushedHalfway = templates.resolve("flushed-halfway");
        try (WriteAheadLog wal = WriteAheadLog.open(small(flushedHalfway).syncMode(SyncMode.NONE).build())) {
            appendRecords(wal, 1, 10);
            assertThat(wal.flush()).isEqualTo(10);
            appendRecords(wal, 11, 20);
            assertThat(wal.durableLsn()).isEqualTo(10);
        }

        reopenedHalfway = templates.resolve("reopened-halfway");
        write(small(reopenedHalfway).syncMode(SyncMode.NONE).build(), 1, 10);
        write(small(reopenedHalfway).syncMode(SyncMode.NONE).build(), 11, 20);
        assertThat(Layout.of(reopenedHalfway).segmentCount()).isEqualTo(1);
    }

    @Test
    void anyDamagedByteInASealedSegmentIsRefusedNamingTheFileOffsetAndLsn() {
        Layout layout = Layout.of(perCommit);
        long[] damaged = {layout.lastLsnOf(0), layout.firstLsnOf(1), 50};
        Path log = copyLog(perCommit, dir);
        Map<String, Long> sizes = fileSizes(perCommit);
        int cases = 0;
        for (long lsn : damaged) {
            Location record = layout.at(lsn);
            Path file = record.in(log);
            byte[] original = read(file, record.offset(), record.size());
            for (int at = 0; at < record.size(); at++) {
                for (int pattern : PATTERNS) {
                    int mask = pattern == 0 ? original[at] & 0xFF : pattern;
                    if (mask == 0) {
                        continue; // the byte is zero already
                    }
                    String what = String.format("LSN %d, byte %d of its record XOR %02x", lsn, at, mask);
                    flip(file, record.offset() + at, mask);

                    WalCorruptionException e = refusal(small(log, TornTailPolicy.TRUNCATE), what);
                    assertNames(e, file, record.offset(), lsn, what);
                    // Nothing was changed, so undoing the damage restores the log for the next case.
                    assertThat(fileSizes(log)).as("%s: file sizes after the refusal", what).isEqualTo(sizes);
                    flip(file, record.offset() + at, mask);
                    cases++;
                }
            }
        }
        assertThat(cases).isGreaterThan(250);
        try (WriteAheadLog wal = WriteAheadLog.open(small(log, TornTailPolicy.FAIL))) {
            assertThat(readAll(wal, 1)).isEqualTo(expected(1, RECORDS, PREFIX));
        }
    }

    @Test
    void aSealedSegmentCutShortAtAnyByteOfItsLastRecordIsRefusedAndNotTreatedAsATornTail() {
        Layout layout = Layout.of(perCommit);
        long lsn = layout.lastLsnOf(0);
        Location record = layout.at(lsn);
        for (long cut = record.offset() + 1; cut < record.end(); cut++) {
            String what = "first segment cut at byte " + cut;
            Path log = copyLog(perCommit, dir.resolve("cut-" + cut));
            truncate(record.in(log), cut);

            WalCorruptionException e = refusal(small(log, TornTailPolicy.TRUNCATE), what);
            assertNames(e, record.in(log), record.offset(), lsn, what);
            assertThat(size(record.in(log))).as(what).isEqualTo(cut);
        }
    }

    /**
     * Zeros after the last record of a sealed segment are what a seal leaves if its trim of the preallocated
     * space never reached the disk: the records are all there, and the next segment starts where they end.
     */
    @Test
    void zerosAfterTheLastRecordOfASealedSegmentAreAnUntrimmedPreallocation() {
        Layout layout = Layout.of(perCommit);
        Location record = layout.at(layout.lastLsnOf(1));
        Path file = record.in(copyLog(perCommit, dir));
        append(file, new byte[100]);

        try (WriteAheadLog wal = WriteAheadLog.open(small(dir, TornTailPolicy.FAIL))) {
            assertThat(wal.recovery().lastLsn()).isEqualTo(layout.lastLsn());
            assertThat(readAll(wal, 1)).isEqualTo(expected(1, layout.lastLsn(), PREFIX));
        }
    }

    /** Zeros where a sealed segment's last record belongs cannot pass for an untrimmed preallocation. */
    @Test
    void aSealedSegmentWhoseLastRecordReadsAsZerosLeavesAnLsnGapThatIsRefused() {
        Layout layout = Layout.of(perCommit);
        long lsn = layout.lastLsnOf(0);
        Location record = layout.at(lsn);
        overwrite(record.in(copyLog(perCommit, dir)), record.offset(), new byte[record.size()]);

        WalCorruptionException e = refusal(small(dir, TornTailPolicy.TRUNCATE),
                "last record of a sealed segment zeroed");
        assertNames(e, dir.resolve(layout.file(1)), 0, lsn, "gap");
        assertThat(e.getMessage()).containsIgnoringCase("gap");
    }

    @Test
    void aSealedSegmentMissingItsLastRecordLeavesAnLsnGapThatIsRefused() {
        Layout layout = Layout.of(perCommit);
        long lsn = layout.lastLsnOf(0);
        Location record = layout.at(lsn);
        truncate(record.in(copyLog(perCommit, dir)), record.offset());

        WalCorruptionException e = refusal(small(dir, TornTailPolicy.TRUNCATE), "last record of a sealed segment gone");
        assertNames(e, dir.resolve(layout.file(1)), 0, lsn, "gap");
        assertThat(e.getMessage()).containsIgnoringCase("gap")
                .containsPattern("\\b" + (lsn - 1) + "\\b")
                .containsPattern("\\b" + layout.firstLsnOf(1) + "\\b");
    }

    /**
     * In per-commit mode every record's writer knew that the record before it was durable, so damage to
     * any record of the last segment that has a successor cannot be a lost write: it is refused even though
     * the policy would cut a torn tail.
     */
    @Test
    void aDamagedRecordInTheLastSegmentIsRefusedWhenALaterRecordWasWrittenAfterItWasDurable() {
        Layout layout = Layout.of(perCommit);
        long[] damaged = {layout.firstLsnOfLast(), layout.firstLsnOfLast() + 1, RECORDS - 1};
        Map<String, Long> sizes = fileSizes(perCommit);
        for (long lsn : damaged) {
            for (Damage damage : Damage.values()) {
                String what = damage + " at LSN " + lsn;
                Location record = layout.at(lsn);
                Path log = copyLog(perCommit, dir.resolve(damage + "-" + lsn));
                damage.apply(record.in(log), record);

                WalCorruptionException e = refusal(small(log, TornTailPolicy.TRUNCATE), what);
                assertNames(e, record.in(log), record.offset(), lsn, what);
                assertThat(fileSizes(log)).as(what).isEqualTo(sizes);
            }
        }
    }

    @Test
    void anyDamagedByteOfTheNextToLastRecordIsRefusedBecauseTheLastRecordProvesItWasDurable() {
        Location record = Layout.of(perCommit).at(RECORDS - 1);
        Path file = record.in(copyLog(perCommit, dir));
        long size = size(file);
        for (int at = 0; at < record.size(); at++) {
            String what = "byte " + at + " of the record of LSN " + (RECORDS - 1);
            flip(file, record.offset() + at, 0xFF);

            WalCorruptionException e = refusal(small(dir, TornTailPolicy.TRUNCATE), what);
            assertNames(e, file, record.offset(), RECORDS - 1, what);
            assertThat(size(file)).as(what).isEqualTo(size);
            flip(file, record.offset() + at, 0xFF);
        }
    }

    @Test
    void aDamagedRecordIsCorruptionExactlyWhenALaterRecordWasWrittenAfterAFlushCoveredIt() {
        checkDurabilityBoundary(flushedHalfway);
    }

    @Test
    void recordsRecoveredAtOpenCountAsDurableForRecordsAppendedAfterTheReopen() {
        checkDurabilityBoundary(reopenedHalfway);
    }

    /** Records 1..10 were durable before 11..20 were written; nothing proves anything about 11..20. */
    private void checkDurabilityBoundary(Path template) {
        Layout layout = Layout.of(template);
        assertThat(layout.lastLsn()).isEqualTo(20);
        for (long lsn = 1; lsn <= 20; lsn++) {
            String what = "payload damaged at LSN " + lsn;
            Location record = layout.at(lsn);
            Path log = copyLog(template, dir.resolve("lsn-" + lsn));
            Path file = record.in(log);
            long end = size(file);
            Damage.FLIPPED_PAYLOAD_BYTE.apply(file, record);

            if (lsn <= 10) {
                WalCorruptionException e = refusal(small(log, TornTailPolicy.TRUNCATE), what);
                assertNames(e, file, record.offset(), lsn, what);
                assertThat(size(file)).as(what).isEqualTo(end);
                continue;
            }
            try (WriteAheadLog wal = WriteAheadLog.open(small(log, TornTailPolicy.TRUNCATE))) {
                RecoveryReport report = wal.recovery();
                assertThat(report.tornTailBytes()).as(what).isEqualTo(end - record.offset());
                assertThat(report.droppedFromLsn()).as(what).isEqualTo(lsn);
                assertThat(report.droppedToLsn()).as(what).isEqualTo(20);
                assertThat(readAll(wal, 1)).as(what).isEqualTo(expected(1, lsn - 1, PREFIX));
            }
        }
    }

    @Test
    void aValidRecordWithTheWrongLsnIsRefusedInASealedSegment() {
        Layout layout = Layout.of(perCommit);
        long lsn = layout.lastLsnOf(0);
        checkRecordReplacedByItsPredecessor(layout, lsn);
    }

    @Test
    void aValidRecordWithTheWrongLsnIsRefusedInTheLastSegmentAsWell() {
        checkRecordReplacedByItsPredecessor(Layout.of(perCommit), RECORDS - 1);
    }

    /** Overwrites the record of {@code lsn} with an intact copy of the one before it (both the same size). */
    private void checkRecordReplacedByItsPredecessor(Layout layout, long lsn) {
        Location record = layout.at(lsn);
        Location previous = layout.at(lsn - 1);
        assertThat(previous.size()).isEqualTo(record.size());
        Path file = record.in(copyLog(perCommit, dir));
        overwrite(file, record.offset(), read(previous.in(dir), previous.offset(), previous.size()));

        WalCorruptionException e = refusal(small(dir, TornTailPolicy.TRUNCATE), "duplicate of LSN " + (lsn - 1));
        assertNames(e, file, record.offset(), lsn, "duplicate record");
        assertThat(e.getMessage()).containsPattern("\\b" + (lsn - 1) + "\\b");
    }

    @Test
    void anIntactCopyOfTheLastRecordAppendedAfterItIsRefusedRatherThanCutAsATornTail() {
        Location record = Layout.of(perCommit).at(RECORDS);
        Path file = record.in(copyLog(perCommit, dir));
        append(file, read(file, record.offset(), record.size()));

        WalCorruptionException e = refusal(small(dir, TornTailPolicy.TRUNCATE), "duplicated last record");
        assertNames(e, file, record.end(), RECORDS + 1, "duplicated last record");
        assertThat(size(file)).isEqualTo(record.end() + record.size());
    }

    @Test
    void aRecordOfTypeZeroIsRefusedEvenWithAValidChecksum() {
        Location record = Layout.of(perCommit).at(50);
        Path file = record.in(copyLog(perCommit, dir));
        overwrite(file, record.offset() + 20, new byte[] {0});
        rewriteChecksum(file, record);

        WalCorruptionException e = refusal(small(dir, TornTailPolicy.TRUNCATE), "type 0");
        assertNames(e, file, record.offset(), 50, "type 0");
    }

    @Test
    void aRecordWhoseChecksumWasRecomputedAfterAChangeOfTypeIsAccepted() {
        // The control for the test above: the checksum is computed the way the format documents it.
        Location record = Layout.of(perCommit).at(50);
        Path file = record.in(copyLog(perCommit, dir));
        overwrite(file, record.offset() + 20, new byte[] {9});
        rewriteChecksum(file, record);

        try (WriteAheadLog wal = WriteAheadLog.open(small(dir, TornTailPolicy.FAIL));
                WalReader reader = wal.reader(50)) {
            assertThat(reader.next()).isTrue();
            assertThat(reader.lsn()).isEqualTo(50);
            assertThat(reader.type()).isEqualTo((byte) 9);
        }
    }

    @Test
    void aRefusedLogCanBeOpenedOnceTheDamageIsRepairedBecauseNothingWasChangedOrLeftLocked() {
        Location record = Layout.of(perCommit).at(RECORDS - 1);
        Path file = record.in(copyLog(perCommit, dir));
        flip(file, record.offset() + RECORD_HEADER_BYTES, 0x10);
        refusal(small(dir, TornTailPolicy.TRUNCATE), "damaged");
        refusal(small(dir, TornTailPolicy.FAIL), "damaged, fail policy");

        flip(file, record.offset() + RECORD_HEADER_BYTES, 0x10);
        try (WriteAheadLog wal = WriteAheadLog.open(small(dir, TornTailPolicy.FAIL))) {
            assertThat(wal.recovery().tornTailBytes()).isZero();
            assertThat(readAll(wal, 1)).isEqualTo(expected(1, RECORDS, PREFIX));
        }
    }

    private static Map<String, Long> fileSizes(Path log) {
        Map<String, Long> sizes = new LinkedHashMap<>();
        for (Path segment : segments(log)) {
            sizes.put(segment.getFileName().toString(), size(segment));
        }
        return sizes;
    }
}
