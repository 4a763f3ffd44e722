package io.graphwal.wal;

import static io.graphwal.wal.LogFiles.assertNames;
import static io.graphwal.wal.LogFiles.copyLog;
import static io.graphwal.wal.LogFiles.createFile;
import static io.graphwal.wal.LogFiles.segments;
import static io.graphwal.wal.LogFiles.size;
import static io.graphwal.wal.LogFiles.small;
import static io.graphwal.wal.LogFiles.truncate;
import static io.graphwal.wal.LogFiles.write;
import static io.graphwal.wal.WalFixtures.expected;
import static io.graphwal.wal.WalFixtures.readAll;
import static io.graphwal.wal.WalFixtures.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import io.graphwal.wal.LogFiles.Layout;
import io.graphwal.wal.LogFiles.Location;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Recovery told that a prefix of the log was durable (as a snapshot proves) never cuts into that prefix,
 * and recovery changes no file until the opener says the open goes ahead.
 */
class ProvenDurableRecoveryTest {

    private static final int RECORDS = 400;

    @TempDir
    static Path templates;

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

    /** A stand-in for a snapshot: recovery only names the file, it never reads it. */
    private Path evidence(long lsn) {
        Path file = dir.resolve(String.format("snapshot-%020d.snap", lsn));
        createFile(file, new byte[] {1, 2, 3});
        return file;
    }

    private WalCorruptionException refusal(WalConfig config, long provenDurable, Path evidence, String description) {
        Throwable thrown = catchThrowable(() -> WriteAheadLog.recover(config, provenDurable, evidence).close());
        assertThat(thrown).as(description).isInstanceOf(WalCorruptionException.class);
        return (WalCorruptionException) thrown;
    }

    private void replaceWithGarbage(Path segment) throws Exception {
        byte[] garbage = new byte[(int) size(segment)];
        new Random(13).nextBytes(garbage);
        Files.write(segment, garbage);
    }

    @Test
    void aGarbageLastSegmentThatASnapshotProvesDurableIsRefusedAndKept() throws Exception {
        copyLog(perCommit, dir);
        Path last = dir.resolve(layout.lastFile());
        replaceWithGarbage(last);
        long first = layout.firstLsnOfLast();
        Path snapshot = evidence(first);
        Map<String, String> before = DirectoryDigest.of(dir);

        for (TornTailPolicy policy : TornTailPolicy.values()) {
            WalCorruptionException e = refusal(small(dir, policy), first, snapshot, "policy " + policy);
            assertNames(e, last, 0, first, "policy " + policy);
            assertThat(e.getMessage()).as("policy %s", policy)
                    .contains("not a torn tail", snapshot.toString(), "every LSN up to " + first, "changed nothing",
                            "restore " + layout.lastFile())
                    .doesNotContain("never durable");
            assertThat(DirectoryDigest.of(dir)).as("every file after the refusal, policy %s", policy)
                    .isEqualTo(before);
        }
    }

    @Test
    void theSameGarbageAboveTheProvenLsnIsATornSegmentRemovedOnlyWhenTheLogIsOpened() throws Exception {
        copyLog(perCommit, dir);
        Path last = dir.resolve(layout.lastFile());
        replaceWithGarbage(last);
        long first = layout.firstLsnOfLast();
        Path snapshot = evidence(first - 1);
        Map<String, String> before = DirectoryDigest.of(dir);

        try (WalRecovery recovery = WriteAheadLog.recover(small(dir).build(), first - 1, snapshot)) {
            assertThat(recovery.report().truncatedTornTail()).isTrue();
            assertThat(recovery.report().tornTailFile()).isEqualTo(last);
            assertThat(recovery.lastLsn()).isEqualTo(first - 1);
            assertThat(DirectoryDigest.of(dir)).as("nothing removed before open").isEqualTo(before);
        }
        assertThat(DirectoryDigest.of(dir)).as("nothing removed by a recovery closed unopened").isEqualTo(before);

        try (WalRecovery recovery = WriteAheadLog.recover(small(dir).build(), first - 1, snapshot);
                WriteAheadLog wal = recovery.openLog()) {
            assertThat(Files.exists(last)).as("the torn segment once the log is open").isFalse();
            assertThat(wal.appendedLsn()).isEqualTo(first - 1);
        }
    }

    @Test
    void aTornTailAtOrBelowTheProvenLsnIsNeverCutInEitherPolicy() {
        copyLog(perCommit, dir);
        Location lastRecord = layout.at(RECORDS);
        Path last = lastRecord.in(dir);
        truncate(last, lastRecord.offset() + 9);
        Path snapshot = evidence(RECORDS);
        Map<String, String> before = DirectoryDigest.of(dir);

        for (TornTailPolicy policy : TornTailPolicy.values()) {
            WalCorruptionException e = refusal(small(dir, policy), RECORDS, snapshot, "policy " + policy);
            assertNames(e, last, lastRecord.offset(), RECORDS, "policy " + policy);
            assertThat(e.getMessage()).contains("not a torn tail", snapshot.getFileName().toString());
            assertThat(DirectoryDigest.of(dir)).as("every file after the refusal, policy %s", policy)
                    .isEqualTo(before);
        }
    }

    @Test
    void aTornTailAboveTheProvenLsnIsReadAroundAndCutOnlyWhenTheLogIsOpened() {
        copyLog(perCommit, dir);
        Location lastRecord = layout.at(RECORDS);
        Path last = lastRecord.in(dir);
        truncate(last, lastRecord.offset() + 9);
        Path snapshot = evidence(RECORDS - 1);
        Map<String, String> before = DirectoryDigest.of(dir);

        Throwable failMode = catchThrowable(() -> WriteAheadLog.recover(small(dir, TornTailPolicy.FAIL), RECORDS - 1,
                snapshot).close());
        assertThat(failMode).isInstanceOf(WalCorruptionException.class).hasMessageStartingWith("Torn tail in");
        assertThat(DirectoryDigest.of(dir)).isEqualTo(before);

        try (WalRecovery recovery = WriteAheadLog.recover(small(dir).build(), RECORDS - 1, snapshot)) {
            assertThat(recovery.report().tornTailBytes()).isEqualTo(9);
            assertThat(recovery.report().droppedFromLsn()).isEqualTo(RECORDS);
            List<String> read = new ArrayList<>();
            try (WalReader reader = recovery.reader(recovery.firstLsn())) {
                while (reader.next()) {
                    read.add(reader.lsn() + ":" + text(reader.payload()));
                }
            }
            assertThat(read).isEqualTo(expected(1, RECORDS - 1, LogFiles.PREFIX));
            assertThat(DirectoryDigest.of(dir)).as("nothing cut before open").isEqualTo(before);
            try (WriteAheadLog wal = recovery.openLog()) {
                assertThat(size(last)).as("the segment once the log is open").isEqualTo(lastRecord.offset());
                assertThat(wal.recovery()).isSameAs(recovery.report());
                assertThat(readAll(wal, 1)).isEqualTo(expected(1, RECORDS - 1, LogFiles.PREFIX));
            }
        }
    }

    @Test
    void aLogThatEndsBelowTheProvenLsnIsRefusedNamingWhereItEnds() {
        copyLog(perCommit, dir);
        Path last = dir.resolve(layout.lastFile());
        Path snapshot = evidence(RECORDS + 5);
        Map<String, String> before = DirectoryDigest.of(dir);

        WalCorruptionException e = refusal(small(dir).build(), RECORDS + 5, snapshot, "log ends at " + RECORDS);
        assertNames(e, last, size(last), RECORDS + 1, "log ends at " + RECORDS);
        assertThat(e.getMessage()).contains("every LSN up to " + (RECORDS + 5), "changed nothing", "missing");
        assertThat(DirectoryDigest.of(dir)).isEqualTo(before);
    }

    @Test
    void aDirectoryWithoutSegmentsIsRefusedWhenASnapshotProvesRecordsAndGetsNoNewSegment() {
        Path snapshot = evidence(10);
        Map<String, String> before = DirectoryDigest.of(dir);

        WalCorruptionException e = refusal(small(dir).build(), 10, snapshot, "no segment");
        assertThat(e.lsn()).isEqualTo(1);
        assertThat(e.getMessage()).contains("holds no intact segment", snapshot.toString());
        assertThat(segments(dir)).isEmpty();
        assertThat(DirectoryDigest.of(dir)).isEqualTo(before);
    }

    @Test
    void aProvenLsnNeedsTheFileThatProvesIt() {
        assertThat(catchThrowable(() -> WriteAheadLog.recover(small(dir).build(), 5, null)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(catchThrowable(() -> WriteAheadLog.recover(small(dir).build(), -1, null)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aRecoveryOpensOnceAndReadsOnlyBeforeItIsOpenedOrClosed() {
        copyLog(perCommit, dir);
        WalRecovery recovery = WriteAheadLog.recover(small(dir).build(), 0, null);
        try (WriteAheadLog wal = recovery.openLog()) {
            assertThat(wal.appendedLsn()).isEqualTo(RECORDS);
            assertThat(catchThrowable(recovery::open)).isInstanceOf(IllegalStateException.class);
            assertThat(catchThrowable(() -> recovery.reader(1))).isInstanceOf(WalException.class);
            recovery.close(); // hands nothing back: the log keeps the lock
            assertThat(catchThrowable(() -> WriteAheadLog.open(small(dir).build())))
                    .isInstanceOf(WalLockedException.class);
        }
    }
}
