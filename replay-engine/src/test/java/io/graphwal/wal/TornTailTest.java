package io.graphwal.wal;

import static io.graphwal.wal.LogFiles.PREFIX;
import static io.graphwal.wal.LogFiles.RECORD_HEADER_BYTES;
import static io.graphwal.wal.LogFiles.append;
import static io.graphwal.wal.LogFiles.appendRecords;
import static io.graphwal.wal.LogFiles.assertNames;
import static io.graphwal.wal.LogFiles.copyLog;
import static io.graphwal.wal.LogFiles.overwrite;
import static io.graphwal.wal.LogFiles.refusal;
import static io.graphwal.wal.LogFiles.size;
import static io.graphwal.wal.LogFiles.small;
import static io.graphwal.wal.LogFiles.truncate;
import static io.graphwal.wal.LogFiles.write;
import static io.graphwal.wal.WalFixtures.TYPE;
import static io.graphwal.wal.WalFixtures.expected;
import static io.graphwal.wal.WalFixtures.payload;
import static io.graphwal.wal.WalFixtures.readAll;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Random;

import io.graphwal.wal.LogFiles.Damage;
import io.graphwal.wal.LogFiles.Layout;
import io.graphwal.wal.LogFiles.Location;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A crash can leave the last segment ending in an incomplete or never-synced write. Recovery cuts exactly that
 * tail off and reports it (or refuses under the fail policy), and the log carries on from there.
 */
class TornTailTest {

    private static final int RECORDS = 400;

    @TempDir
    static Path templates;

    /** 400 records in per-commit mode: each was fsynced before the next was written. */
    private static Path perCommit;
    /** The same log, cut so that its last record is the first one of its segment. */
    private static Path firstInSegment;
    /** 400 records in none mode: nothing fsynced but the segments sealed at rollover. */
    private static Path unsynced;

    @TempDir
    Path dir;

    @BeforeAll
    static void writeTemplates() {
        perCommit = templates.resolve("per-commit");
        write(small(perCommit).build(), 1, RECORDS);
        Layout layout = Layout.of(perCommit);
        assertThat(layout.segmentCount()).isGreaterThanOrEqualTo(3);
        assertThat(layout.lastLsn()).isEqualTo(RECORDS);

        firstInSegment = copyLog(perCommit, templates.resolve("first-in-segment"));
        Location first = layout.at(layout.firstLsnOfLast());
        truncate(first.in(firstInSegment), first.end());

        unsynced = templates.resolve("unsynced");
        write(small(unsynced).syncMode(SyncMode.NONE).build(), 1, RECORDS);
        assertThat(Layout.of(unsynced).segmentCount()).isGreaterThanOrEqualTo(3);
    }

    @Test
    void aLastRecordCutOffAtAnyByteIsDroppedAloneAndItsLsnIsReused() {
        checkEveryCutOfTheLastRecord(perCommit);
    }

    @Test
    void aLastRecordThatOpenedItsSegmentCutOffAtAnyByteIsDroppedAndTheSegmentKept() {
        checkEveryCutOfTheLastRecord(firstInSegment);
    }

    private void checkEveryCutOfTheLastRecord(Path template) {
        Layout layout = Layout.of(template);
        long last = layout.lastLsn();
        Location record = layout.at(last);
        for (long cut = record.offset() + 1; cut < record.end(); cut++) {
            String what = "log cut at byte " + cut + " of " + record;
            Path log = copyLog(template, dir.resolve("cut-" + cut));
            Path file = record.in(log);
            truncate(file, cut);

            WalCorruptionException refused = refusal(small(log, TornTailPolicy.FAIL), what);
            assertThat(refused.getMessage()).as(what).contains("torn-tail");
            assertNames(refused, file, record.offset(), last, what);
            assertThat(size(file)).as("%s: size after the fail policy refused it", what).isEqualTo(cut);

            try (WriteAheadLog wal = WriteAheadLog.open(small(log, TornTailPolicy.TRUNCATE))) {
                RecoveryReport report = wal.recovery();
                assertThat(report.truncatedTornTail()).as(what).isTrue();
                assertThat(report.tornTailBytes()).as(what).isEqualTo(cut - record.offset());
                assertThat(report.tornTailFile()).as(what).isEqualTo(file);
                assertThat(report.droppedFromLsn()).as(what).isEqualTo(last);
                assertThat(report.droppedToLsn()).as(what).isEqualTo(last);
                assertThat(report.records()).as(what).isEqualTo(last - 1);
                assertThat(report.lastLsn()).as(what).isEqualTo(last - 1);
                assertThat(size(file)).as("%s: size after truncation", what).isEqualTo(record.offset());
                assertThat(readAll(wal, 1)).as(what).isEqualTo(expected(1, last - 1, PREFIX));
                assertThat(wal.append(TYPE, payload(PREFIX + last))).as(what).isEqualTo(last);
            }
            try (WriteAheadLog wal = WriteAheadLog.open(small(log, TornTailPolicy.FAIL))) {
                assertThat(wal.recovery().tornTailBytes()).as(what).isZero();
                assertThat(readAll(wal, 1)).as(what).isEqualTo(expected(1, last, PREFIX));
            }
        }
    }

    @Test
    void aLogCutExactlyAtARecordBoundaryHasNoTornTail() {
        Layout layout = Layout.of(perCommit);
        Location record = layout.at(layout.lastLsn());
        truncate(record.in(copyLog(perCommit, dir)), record.offset());

        try (WriteAheadLog wal = WriteAheadLog.open(small(dir, TornTailPolicy.FAIL))) {
            assertThat(wal.recovery().truncatedTornTail()).isFalse();
            assertThat(wal.recovery().tornTailFile()).isNull();
            assertThat(wal.recovery().lastLsn()).isEqualTo(RECORDS - 1);
            assertThat(wal.append(TYPE, payload("next"))).isEqualTo(RECORDS);
        }
    }

    /**
     * Zeros after the last record are what preallocation leaves when the process dies: space never written,
     * not a torn write. Even the strict policy opens, and the next record overwrites them in place.
     */
    @Test
    void zerosAfterTheLastRecordAreUnwrittenPreallocatedSpaceNotATornTail() {
        int[] lengths = {1, 20, 21, 22, 512, 4096, (1 << 20) + 7};
        for (int length : lengths) {
            String what = length + " zero bytes";
            Path log = copyLog(perCommit, dir.resolve(what.replace(' ', '-')));
            Path file = Layout.of(log).at(RECORDS).in(log);
            long end = size(file);
            append(file, new byte[length]);

            try (WriteAheadLog wal = WriteAheadLog.open(small(log, TornTailPolicy.FAIL))) {
                RecoveryReport report = wal.recovery();
                assertThat(report.truncatedTornTail()).as(what).isFalse();
                assertThat(report.tornTailBytes()).as(what).isZero();
                assertThat(report.lastLsn()).as(what).isEqualTo(RECORDS);
                assertThat(readAll(wal, 1)).as(what).isEqualTo(expected(1, RECORDS, PREFIX));
                assertThat(wal.append(TYPE, payload(PREFIX + (RECORDS + 1)))).as(what).isEqualTo(RECORDS + 1);
            }
            assertThat(size(file)).as("%s: a clean close trims the zeros after the new record", what)
                    .isEqualTo(end + RECORD_HEADER_BYTES + payload(PREFIX + (RECORDS + 1)).remaining());
            try (WriteAheadLog wal = WriteAheadLog.open(small(log, TornTailPolicy.FAIL))) {
                assertThat(readAll(wal, 1)).as(what).isEqualTo(expected(1, RECORDS + 1, PREFIX));
            }
        }
    }

    @Test
    void garbageAfterTheLastRecordIsCutOffAndNoRecordIsLost() {
        Random random = new Random(20240601);
        int[] lengths = {1, 13, 21, 100, 3000};
        for (int length : lengths) {
            byte[] garbage = new byte[length];
            random.nextBytes(garbage);
            checkJunkAfterTheLastRecord(garbage, length + " random bytes");
        }
    }

    private void checkJunkAfterTheLastRecord(byte[] junk, String what) {
        Path log = copyLog(perCommit, dir.resolve(what.replace(' ', '-')));
        Path file = Layout.of(log).at(RECORDS).in(log);
        long end = size(file);
        append(file, junk);

        WalCorruptionException refused = refusal(small(log, TornTailPolicy.FAIL), what);
        assertThat(refused.getMessage()).as(what).contains("torn-tail");
        assertNames(refused, file, end, RECORDS + 1, what);

        try (WriteAheadLog wal = WriteAheadLog.open(small(log, TornTailPolicy.TRUNCATE))) {
            RecoveryReport report = wal.recovery();
            assertThat(report.tornTailBytes()).as(what).isEqualTo(junk.length);
            assertThat(report.tornTailFile()).as(what).isEqualTo(file);
            assertThat(report.droppedFromLsn()).as(what).isEqualTo(RECORDS + 1);
            assertThat(report.droppedToLsn()).as(what).isEqualTo(RECORDS + 1);
            assertThat(report.lastLsn()).as(what).isEqualTo(RECORDS);
            assertThat(size(file)).as(what).isEqualTo(end);
            assertThat(readAll(wal, 1)).as(what).isEqualTo(expected(1, RECORDS, PREFIX));
            assertThat(wal.append(TYPE, payload(PREFIX + (RECORDS + 1)))).as(what).isEqualTo(RECORDS + 1);
        }
    }

    /**
     * A last record that never left the page cache reads back as the preallocated zeros it was to overwrite,
     * which cannot be told from space never written: the log ends cleanly before it.
     */
    @Test
    void aLastRecordThatNeverLeftThePageCacheAndReadsAsZerosEndsTheLog() {
        Location record = Layout.of(perCommit).at(RECORDS);
        Path file = record.in(copyLog(perCommit, dir));
        overwrite(file, record.offset(), new byte[record.size()]);

        try (WriteAheadLog wal = WriteAheadLog.open(small(dir, TornTailPolicy.FAIL))) {
            assertThat(wal.recovery().tornTailBytes()).isZero();
            assertThat(wal.recovery().lastLsn()).isEqualTo(RECORDS - 1);
            assertThat(readAll(wal, 1)).isEqualTo(expected(1, RECORDS - 1, PREFIX));
            assertThat(wal.append(TYPE, payload("again"))).isEqualTo(RECORDS);
        }
    }

    /**
     * In none mode nothing in the last segment was durable when the records after it were written, so a
     * damaged record there is a lost unsynced write: it and everything after it go, and the report says which
     * LSNs.
     */
    @Test
    void aDamagedRecordFollowedOnlyByRecordsWrittenBeforeItWasDurableIsATornTailWithEverythingAfterIt() {
        Layout layout = Layout.of(unsynced);
        long first = layout.firstLsnOfLast();
        long[] damaged = {first, first + 1, (first + RECORDS) / 2, RECORDS - 1, RECORDS};
        for (long lsn : damaged) {
            for (Damage damage : Damage.values()) {
                if (damage == Damage.ZERO_FILLED && lsn == RECORDS) {
                    continue; // zeros to the end of the file are no damage (see the test above)
                }
                String what = damage + " at LSN " + lsn;
                Location record = layout.at(lsn);
                Path log = copyLog(unsynced, dir.resolve(damage + "-" + lsn));
                Path file = record.in(log);
                long end = size(file);
                damage.apply(file, record);

                WalCorruptionException refused = refusal(small(log, TornTailPolicy.FAIL), what);
                assertThat(refused.getMessage()).as(what).contains("torn-tail");
                assertNames(refused, file, record.offset(), lsn, what);

                try (WriteAheadLog wal = WriteAheadLog.open(small(log, TornTailPolicy.TRUNCATE))) {
                    RecoveryReport report = wal.recovery();
                    assertThat(report.tornTailBytes()).as(what).isEqualTo(end - record.offset());
                    assertThat(report.tornTailFile()).as(what).isEqualTo(file);
                    assertThat(report.droppedFromLsn()).as(what).isEqualTo(lsn);
                    assertThat(report.droppedToLsn()).as(what).isEqualTo(RECORDS);
                    assertThat(report.lastLsn()).as(what).isEqualTo(lsn - 1);
                    assertThat(size(file)).as(what).isEqualTo(record.offset());
                    assertThat(readAll(wal, 1)).as(what).isEqualTo(expected(1, lsn - 1, PREFIX));
                    assertThat(wal.append(TYPE, payload(PREFIX + lsn))).as(what).isEqualTo(lsn);
                }
            }
        }
    }

    @Test
    void afterCuttingATornTailTheLogAppendsDenseLsnsAcrossNewSegmentsAndReopensClean() {
        Layout layout = Layout.of(unsynced);
        long damaged = layout.firstLsnOfLast() + 3;
        Location record = layout.at(damaged);
        Damage.FLIPPED_PAYLOAD_BYTE.apply(record.in(copyLog(unsynced, dir)), record);
        long last = damaged + 500;

        // None mode only to keep 500 appends quick; what matters here is where they go.
        try (WriteAheadLog wal = WriteAheadLog.open(small(dir).syncMode(SyncMode.NONE).build())) {
            assertThat(wal.recovery().droppedFromLsn()).isEqualTo(damaged);
            appendRecords(wal, damaged, last);
            assertThat(wal.status().segmentCount()).isGreaterThan(layout.segmentCount());
        }
        try (WriteAheadLog wal = WriteAheadLog.open(small(dir, TornTailPolicy.FAIL))) {
            RecoveryReport report = wal.recovery();
            assertThat(report.tornTailBytes()).isZero();
            assertThat(report.droppedFromLsn()).isZero();
            assertThat(report.records()).isEqualTo(last);
            assertThat(report.lastLsn()).isEqualTo(last);
            assertThat(readAll(wal, 1)).isEqualTo(expected(1, last, PREFIX));
            assertThat(readAll(wal, damaged)).isEqualTo(expected(damaged, last, PREFIX));
        }
        // Every segment holds exactly its records, back to back: nothing of the cut tail was left behind.
        Layout after = Layout.of(dir);
        assertThat(after.lastLsn()).isEqualTo(last);
        assertThat(after.records).hasSize((int) last);
    }
}
