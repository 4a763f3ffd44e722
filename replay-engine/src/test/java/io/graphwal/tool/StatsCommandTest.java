package io.graphwal.tool;

import static io.graphwal.tool.ToolFixture.copy;
import static io.graphwal.tool.ToolFixture.firstLsnOf;
import static io.graphwal.tool.ToolFixture.flip;
import static io.graphwal.tool.ToolFixture.lsnOfSnapshot;
import static io.graphwal.tool.ToolFixture.records;
import static io.graphwal.tool.ToolFixture.run;
import static io.graphwal.tool.ToolFixture.segments;
import static io.graphwal.tool.ToolFixture.size;
import static io.graphwal.tool.ToolFixture.snapshots;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.graphwal.tool.ToolFixture.Run;
import org.junit.jupiter.api.Test;

/** {@code stats} lists every segment and snapshot with sizes and LSNs, and says which snapshots are valid. */
class StatsCommandTest extends ToolTemplate {

    @Test
    void listsEverySegmentWithItsSizeAndLsnRangeThenTheTotalsAndEverySnapshot() {
        List<Path> segments = segments(template);
        List<String> expected = new ArrayList<>();
        expected.add("directory: " + template);
        expected.add("segments:");
        long bytes = 0;
        for (int i = 0; i < segments.size(); i++) {
            Path segment = segments.get(i);
            long first = firstLsnOf(segment);
            long last = i + 1 < segments.size() ? firstLsnOf(segments.get(i + 1)) - 1 : built.lastLsn();
            expected.add(String.format("  %s %12d bytes  LSN %d to %d (%d records)", segment.getFileName(),
                    size(segment), first, last, last - first + 1));
            bytes += size(segment);
        }
        long firstLsn = firstLsnOf(segments.get(0));
        expected.add("log: " + segments.size() + " segments, " + bytes + " bytes, " + (built.lastLsn() - firstLsn + 1)
                + " records, LSN " + firstLsn + " to " + built.lastLsn());
        expected.add("snapshots:");
        Path older = snapshots(template).get(0);
        Path newer = snapshots(template).get(1);
        expected.add(String.format("  %s  LSN %d %12d bytes  valid: %d nodes, %d relationships", older.getFileName(),
                built.firstSnapshotLsn(), size(older), built.firstSnapshotLsn(), built.firstSnapshotLsn() - 1));
        expected.add(String.format("  %s  LSN %d %12d bytes  valid: %d nodes, %d relationships", newer.getFileName(),
                built.secondSnapshotLsn(), size(newer), built.secondSnapshotLsn(), built.secondSnapshotLsn() - 1));
        expected.add("snapshot total: 2 files, " + (size(older) + size(newer)) + " bytes, newest at LSN "
                + built.secondSnapshotLsn());

        Run result = run("stats", template.toString());

        assertThat(result.exit()).isZero();
        assertThat(result.err()).isEmpty();
        assertThat(result.outLines()).containsExactlyElementsOf(expected);
        for (Path segment : segments) {
            assertThat(records(segment)).as("records of %s", segment.getFileName()).isNotEmpty();
        }
    }

    @Test
    void aDamagedSnapshotIsListedAsInvalidWithTheReasonAndTheExitCodeSaysSo() {
        Path dir = copy(template, work.resolve("graph"));
        Path older = snapshots(dir).get(0);
        flip(older, size(older) - 20);

        Run result = run("stats", dir.toString());

        assertThat(result.exit()).isEqualTo(1);
        assertThat(result.out()).containsPattern(older.getFileName() + "  LSN " + lsnOfSnapshot(older)
                + " +\\d+ bytes  INVALID").contains("newest at LSN " + built.secondSnapshotLsn());
        assertThat(result.out()).contains("LSN " + built.secondSnapshotLsn() + " ").contains("valid: ");
        assertThat(result.err()).startsWith("ERROR: Snapshot " + older + " is damaged at byte offset ");
    }

    @Test
    void aCorruptLogIsListedUpToTheDamageAndTheRestOfTheReportStillPrinted() {
        Path dir = copy(template, work.resolve("graph"));
        Path sealed = segments(dir).get(0);
        ToolFixture.RecordAt victim = records(sealed).get(4);
        flip(sealed, victim.offset() + 4);

        Run result = run("stats", dir.toString());

        assertThat(result.exit()).isEqualTo(1);
        assertThat(result.out()).contains(sealed.getFileName() + " " + String.format("%12d", size(sealed))
                + " bytes  LSN " + firstLsnOf(sealed) + " to " + (victim.lsn() - 1) + " (4 records)")
                .contains("up to the damage below").contains("snapshot total: 2 files");
        assertThat(result.err()).startsWith("ERROR: Corrupt write-ahead log: " + sealed + " at byte offset "
                + victim.offset() + " (LSN " + victim.lsn() + ")");
    }

    @Test
    void anEmptyDirectoryHasNoSegmentsAndNoSnapshots() {
        Path dir = work.resolve("empty");
        assertThat(dir.toFile().mkdir()).isTrue();

        Run result = run("stats", dir.toString());

        assertThat(result.exit()).isZero();
        assertThat(result.outLines()).containsExactly("directory: " + dir, "segments:", "  none",
                "log: 0 segments, 0 bytes, no records (next LSN 1)", "snapshots:", "  none");
    }
}
