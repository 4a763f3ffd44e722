package io.graphwal.tool;

import static io.graphwal.tool.ToolFixture.RECORD_HEADER_BYTES;
import static io.graphwal.tool.ToolFixture.firstLsnOf;
import static io.graphwal.tool.ToolFixture.flip;
import static io.graphwal.tool.ToolFixture.lsnOfSnapshot;
import static io.graphwal.tool.ToolFixture.record;
import static io.graphwal.tool.ToolFixture.records;
import static io.graphwal.tool.ToolFixture.rewritePayload;
import static io.graphwal.tool.ToolFixture.run;
import static io.graphwal.tool.ToolFixture.segments;
import static io.graphwal.tool.ToolFixture.size;
import static io.graphwal.tool.ToolFixture.snapshots;
import static io.graphwal.tool.ToolFixture.truncate;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.graphwal.replay.GraphDatabase;
import io.graphwal.replay.ReplayReport;
import io.graphwal.tool.ToolFixture.RecordAt;
import io.graphwal.tool.ToolFixture.Run;

/** {@code verify} passes a sound directory, warns about a torn tail, and fails naming the first real problem. */
class VerifyCommandTest extends ToolTemplate {

    @BeforeAll
    static void checkTemplate() {
        assertThat(segments(template)).hasSizeGreaterThanOrEqualTo(3);
        assertThat(firstLsnOf(segments(template).get(0))).as("purged behind the oldest snapshot").isGreaterThan(1);
        assertThat(snapshots(template)).hasSize(2);
    }

    @Test
    void aSoundDirectoryPassesWithASummaryOfWhatWasChecked() {
        long firstLsn = firstLsnOf(segments(template).get(0));

        Run result = run("verify", template.toString());

        assertThat(result.exit()).isZero();
        assertThat(result.err()).isEmpty();
        assertThat(result.outLines()).containsExactly(
                "log: " + segments(template).size() + " segments, " + segments(template).stream()
                        .mapToLong(ToolFixture::size).sum() + " bytes, LSN " + firstLsn + " to " + built.lastLsn()
                        + " (" + (built.lastLsn() - firstLsn + 1) + " records); every segment header, record "
                        + "checksum and LSN checked",
                "snapshots: 2 (LSN " + built.secondSnapshotLsn() + ", " + built.firstSnapshotLsn() + "); every header "
                        + "and block checksum checked, every body decoded",
                "rebuild: snapshot at LSN " + built.secondSnapshotLsn() + " + " + (built.lastLsn()
                        - built.secondSnapshotLsn()) + " records replayed = " + built.nodes() + " nodes, "
                        + built.relationships() + " relationships at LSN " + built.lastLsn() + " (in memory only)",
                "OK");
    }

    @Test
    void aFlippedByteInASealedSegmentFailsNamingTheFileOffsetAndLsn() {
        Path dir = damageable();
        Path sealed = segments(dir).get(0);
        RecordAt victim = records(sealed).get(5);
        flip(sealed, victim.offset() + RECORD_HEADER_BYTES + 3);

        Run result = run("verify", dir.toString());

        assertThat(result.exit()).isEqualTo(1);
        assertThat(result.out()).doesNotContain("OK");
        assertThat(result.err()).startsWith("ERROR: ").contains(sealed.toString())
                .containsPattern("byte offset " + victim.offset() + "\\b")
                .containsPattern("\\(LSN " + victim.lsn() + "\\)").contains("sealed segment");
        assertThat(result.err().lines()).hasSize(1);
    }

    @Test
    void aDamagedNewestSnapshotFailsNamingTheSnapshot() throws IOException {
        Path dir = damageable();
        Path newest = snapshots(dir).get(1);
        flip(newest, Files.size(newest) / 2);

        Run result = run("verify", dir.toString());

        assertThat(result.exit()).isEqualTo(1);
        assertThat(result.err()).startsWith("ERROR: Snapshot " + newest).contains("block checksum mismatch")
                .contains("falls back to an older one");
        assertThat(result.out()).startsWith("log: ").doesNotContain("OK");
    }

    @Test
    void aDamagedOlderSnapshotFailsTooThoughOpeningWouldNotNeedIt() throws IOException {
        Path dir = damageable();
        Path oldest = snapshots(dir).get(0);
        flip(oldest, 10);

        Run result = run("verify", dir.toString());

        assertThat(result.exit()).isEqualTo(1);
        assertThat(result.err()).startsWith("ERROR: Snapshot " + oldest).contains("header checksum mismatch");
    }

    @Test
    void aTornTailIsAWarningNamingWhatOpeningWouldCutAndTheExitCodeStaysZero() {
        Path dir = damageable();
        Path last = segments(dir).get(segments(dir).size() - 1);
        RecordAt lastRecord = records(last).get(records(last).size() - 1);
        truncate(last, lastRecord.offset() + 30);

        Run result = run("verify", dir.toString());

        assertThat(result.exit()).isZero();
        assertThat(result.err()).startsWith("WARNING: torn tail in " + last + " at byte offset "
                + lastRecord.offset() + " (LSN " + built.lastLsn() + "): ").contains("cuts off these 30 bytes");
        assertThat(result.err().lines()).hasSize(1);
        assertThat(result.outLines()).last().isEqualTo("OK, with 1 warning");
        assertThat(result.out()).contains("at LSN " + (built.lastLsn() - 1) + " (in memory only)");
        assertThat(size(last)).as("the tool cut nothing").isEqualTo(lastRecord.offset() + 30);

        try (GraphDatabase db = GraphDatabase.open(ToolFixture.config(dir))) {
            ReplayReport replay = db.lastReplay();
            assertThat(replay.tornTailBytes()).as("what opening really cut").isEqualTo(30);
            assertThat(db.wal().appendedLsn()).isEqualTo(built.lastLsn() - 1);
        }
    }

    @Test
    void aRecordWithAValidChecksumThatDoesNotDecodeFailsTheRebuildNamingItsLsn() {
        Path dir = damageable();
        RecordAt rich = record(dir, built.richLsn());
        rewritePayload(rich, 0, (byte) 9);

        Run result = run("verify", dir.toString());

        assertThat(result.exit()).isEqualTo(1);
        assertThat(result.err()).startsWith("ERROR: The record at LSN " + built.richLsn() + " in " + rich.segment()
                + " does not decode: unsupported transaction format version 9")
                .contains("dump " + dir + " --from " + built.richLsn() + " --to " + built.richLsn());
    }

    @Test
    void aRecordThatDoesNotFitTheGraphBeforeItFailsTheRebuild() {
        Path dir = damageable();
        RecordAt deleting = record(dir, built.deletingLsn());
        // The payload is: version, commit time (8 bytes), mutation count, then "remove node <Ann> property age" as
        // an opcode and Ann's id in two varint bytes. Point it at a node that was never created, keeping the
        // same length.
        long missing = built.annId() + 10_000;
        assertThat(built.annId()).isBetween(128L, 16_383L);
        assertThat(missing).isLessThan(16_384L);
        rewritePayload(deleting, 11, (byte) (missing & 0x7F | 0x80), (byte) (missing >>> 7));

        Run result = run("verify", dir.toString());

        assertThat(result.exit()).isEqualTo(1);
        assertThat(result.err()).startsWith("ERROR: The record at LSN " + built.deletingLsn() + " in "
                + deleting.segment() + " does not apply to the graph rebuilt before it: ")
                .contains("node " + missing + " does not exist");
    }

    @Test
    void withoutSnapshotsALogPurgedBehindThemCannotRebuildTheGraph() throws IOException {
        Path dir = damageable();
        for (Path snapshot : snapshots(dir)) {
            Files.delete(snapshot);
        }

        Run result = run("verify", dir.toString());

        assertThat(result.exit()).isEqualTo(1);
        assertThat(result.err()).startsWith("ERROR: No usable snapshot, and the log starts at LSN "
                + firstLsnOf(segments(dir).get(0)) + " instead of 1");
    }

    @Test
    void aMissingSegmentIsAGapNamedAtTheSegmentAfterIt() throws IOException {
        Path dir = damageable();
        List<Path> segments = segments(dir);
        Files.delete(segments.get(1));

        Run result = run("verify", dir.toString());

        assertThat(result.exit()).isEqualTo(1);
        assertThat(result.err()).startsWith("ERROR: Corrupt write-ahead log: " + segments.get(2) + " at byte offset 0 "
                + "(LSN " + firstLsnOf(segments.get(1)) + "): LSN gap");
    }

    @Test
    void aSnapshotAheadOfTheLogFailsBecauseSegmentsAreMissing() throws IOException {
        Path dir = damageable();
        List<Path> segments = segments(dir);
        Path newest = snapshots(dir).get(1);
        for (Path segment : segments) {
            if (firstLsnOf(segment) > lsnOfSnapshot(newest)) {
                Files.delete(segment);
            }
        }
        // Cut the log inside the snapshot's segment, just before the snapshot's own record.
        RecordAt atSnapshot = record(dir, lsnOfSnapshot(newest));
        truncate(atSnapshot.segment(), atSnapshot.offset());

        Run result = run("verify", dir.toString());

        assertThat(result.exit()).isEqualTo(1);
        assertThat(result.err()).startsWith("ERROR: Snapshot " + newest + " is at LSN " + lsnOfSnapshot(newest)
                + " but the log ends at LSN " + (lsnOfSnapshot(newest) - 1));
        assertThat(result.err()).as("no advice that loses the records the snapshot proves durable")
                .contains("Restore the log segments from a backup")
                .contains("would start from an older state and lose LSN " + lsnOfSnapshot(newest));
    }

    @Test
    void anEmptyDirectoryIsAnEmptyLogThatPasses() {
        Path dir = work.resolve("empty");
        assertThat(dir.toFile().mkdir()).isTrue();

        Run result = run("verify", dir.toString());

        assertThat(result.exit()).isZero();
        assertThat(result.outLines()).containsExactly(
                "log: 0 segments, 0 bytes, no records (next LSN 1); every segment header, record checksum and LSN "
                        + "checked",
                "snapshots: none",
                "rebuild: no snapshot + 0 records replayed = 0 nodes, 0 relationships at LSN 0 (in memory only)",
                "OK");
    }
}
