package io.graphwal.wal;

import static io.graphwal.wal.LogFiles.MAX_RECORD_SIZE;
import static io.graphwal.wal.LogFiles.PREFIX;
import static io.graphwal.wal.LogFiles.assertNames;
import static io.graphwal.wal.LogFiles.copyLog;
import static io.graphwal.wal.LogFiles.putIntLittleEndian;
import static io.graphwal.wal.LogFiles.refusal;
import static io.graphwal.wal.LogFiles.size;
import static io.graphwal.wal.LogFiles.small;
import static io.graphwal.wal.LogFiles.write;
import static io.graphwal.wal.WalFixtures.expected;
import static io.graphwal.wal.WalFixtures.readAll;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.graphwal.io.FileIO;
import io.graphwal.io.ObservedFileIO;
import io.graphwal.wal.LogFiles.Layout;
import io.graphwal.wal.LogFiles.Location;

/**
 * A record's length field is checked against the maximum record size and the bytes left in the file before
 * anything is allocated for it, so a damaged length can never make recovery allocate or read gigabytes.
 * The files are read through a {@link FileIO} that remembers the largest read asked of it.
 */
class RecoveryLengthFieldTest {

    private static final int RECORDS = 400;
    /** Recovery's scan buffer: no read may ask for more than this. */
    private static final int SCAN_BUFFER = 1 << 20;
    /** Above the largest maximum record size a configuration allows. */
    private static final int ABOVE_ANY_MAX = 0x7FFF_FFF0;
    /** Lengths that no 4 KiB segment can hold, as the unsigned values they are on disk. */
    private static final long[] DAMAGED_LENGTHS = {
        ABOVE_ANY_MAX, 0x7FFF_FF00L, 1L << 30, 100_000_000, MAX_RECORD_SIZE + 1, 0x8000_0000L, 0xFFFF_FFFFL,
    };

    @TempDir
    static Path templates;

    private static Path perCommit;
    private static Layout layout;

    @TempDir
    Path dir;

    private final ObservedFileIO io = new ObservedFileIO();

    @BeforeAll
    static void writeTemplate() {
        perCommit = templates.resolve("per-commit");
        write(small(perCommit).build(), 1, RECORDS);
        layout = Layout.of(perCommit);
        assertThat(layout.segmentCount()).isGreaterThanOrEqualTo(3);
        assertThat(WalConfig.MAX_RECORD_SIZE_LIMIT).isLessThan(ABOVE_ANY_MAX);
    }

    /** The small configuration (max-record-size 512) and one allowing the largest records there can be. */
    private List<WalConfig> configs(Path log, TornTailPolicy policy) {
        return List.of(
                small(log).tornTail(policy).fileIO(io).build(),
                small(log).tornTail(policy).fileIO(io).maxRecordSize(WalConfig.MAX_RECORD_SIZE_LIMIT)
                        .segmentSize(WalConfig.MAX_RECORD_SIZE_LIMIT + 64L).build());
    }

    @Test
    void aLastRecordWithAnImpossibleLengthIsATornTailAndNothingLargeIsRead() {
        Location record = layout.at(RECORDS);
        for (long length : DAMAGED_LENGTHS) {
            for (int which = 0; which < 2; which++) {
                Path log = copyLog(perCommit, dir.resolve("length-" + length + "-" + which));
                putIntLittleEndian(record.in(log), record.offset(), (int) length);
                WalConfig config = configs(log, TornTailPolicy.TRUNCATE).get(which);
                String what = "length " + length + " with max-record-size " + config.maxRecordSize();
                io.largestRead.set(0);
                try (WriteAheadLog wal = WriteAheadLog.open(config)) {
                    assertThat(io.largestRead.get()).as(what).isPositive().isLessThanOrEqualTo(SCAN_BUFFER);
                    assertThat(wal.recovery().tornTailBytes()).as(what).isEqualTo(record.size());
                    assertThat(wal.recovery().droppedFromLsn()).as(what).isEqualTo(RECORDS);
                    assertThat(readAll(wal, 1)).as(what).isEqualTo(expected(1, RECORDS - 1, PREFIX));
                }
            }
        }
    }

    @Test
    void anImpossibleLengthInASealedSegmentIsRefusedAndNothingLargeIsRead() {
        long lsn = 50;
        Location record = layout.at(lsn);
        for (long length : DAMAGED_LENGTHS) {
            Path log = copyLog(perCommit, dir.resolve("length-" + length));
            putIntLittleEndian(record.in(log), record.offset(), (int) length);
            for (WalConfig config : configs(log, TornTailPolicy.TRUNCATE)) {
                String what = "length " + length + " with max-record-size " + config.maxRecordSize();
                io.largestRead.set(0);
                WalCorruptionException e = refusal(config, what);
                assertNames(e, record.in(log), record.offset(), lsn, what);
                assertThat(io.largestRead.get()).as(what).isPositive().isLessThanOrEqualTo(SCAN_BUFFER);
                if (length > config.maxRecordSize()) {
                    assertThat(e.getMessage()).as(what).contains("max-record-size");
                }
            }
        }
    }

    @Test
    void anImpossibleLengthFollowedByARecordWrittenAfterItWasDurableIsRefusedAndNothingLargeIsRead() {
        long lsn = RECORDS - 1;
        Location record = layout.at(lsn);
        for (long length : DAMAGED_LENGTHS) {
            Path log = copyLog(perCommit, dir.resolve("length-" + length));
            putIntLittleEndian(record.in(log), record.offset(), (int) length);
            long lastSize = size(record.in(log));
            for (WalConfig config : configs(log, TornTailPolicy.TRUNCATE)) {
                String what = "length " + length + " with max-record-size " + config.maxRecordSize();
                io.largestRead.set(0);
                WalCorruptionException e = refusal(config, what);
                assertNames(e, record.in(log), record.offset(), lsn, what);
                assertThat(io.largestRead.get()).as(what).isPositive().isLessThanOrEqualTo(SCAN_BUFFER);
                assertThat(size(record.in(log))).as(what).isEqualTo(lastSize);
            }
        }
    }

    /**
     * Lowering max-record-size between runs must not turn records written under the larger limit into a
     * torn tail: they are whole and their checksums are valid. The log refuses to open, says which setting
     * to raise, changes nothing, and opens intact once the setting is raised again.
     */
    @Test
    void recordsLongerThanALoweredMaxRecordSizeAreRefusedNotCutOff() {
        int payload = 300;
        for (SyncMode mode : new SyncMode[] {SyncMode.PER_COMMIT, SyncMode.NONE}) {
            // One record, a few in the last segment, and enough to fill sealed segments.
            for (int count : new int[] {1, 3, 40}) {
                String what = count + " records of " + payload + " bytes in " + mode + " mode";
                Path log = dir.resolve(mode + "-" + count);
                WalConfig larger = small(log).syncMode(mode).build();
                try (WriteAheadLog wal = WriteAheadLog.open(larger)) {
                    for (int i = 0; i < count; i++) {
                        wal.append(WalFixtures.TYPE, ByteBuffer.allocate(payload));
                    }
                }
                Layout written = Layout.of(log, lsn -> LogFiles.RECORD_HEADER_BYTES + payload);
                assertThat(written.lastLsn()).isEqualTo(count);
                Location first = written.at(1);
                Location lastRecord = written.at(count);
                long lastSize = size(lastRecord.in(log));

                for (TornTailPolicy policy : TornTailPolicy.values()) {
                    WalConfig lowered = small(log).syncMode(mode).tornTail(policy).maxRecordSize(100).build();
                    WalCorruptionException e = refusal(lowered, what + " under " + policy);
                    assertNames(e, first.in(log), first.offset(), 1, what);
                    assertThat(e.getMessage()).as(what).contains("max-record-size").contains(String.valueOf(payload));
                    assertThat(size(lastRecord.in(log))).as(what).isEqualTo(lastSize);
                }
                try (WriteAheadLog wal = WriteAheadLog.open(larger)) {
                    assertThat(wal.recovery().truncatedTornTail()).as(what).isFalse();
                    assertThat(wal.recovery().records()).as(what).isEqualTo(count);
                }
            }
        }
    }
}
