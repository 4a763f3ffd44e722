package io.graphwal.tool;

import static io.graphwal.tool.ToolFixture.RECORD_HEADER_BYTES;
import static io.graphwal.tool.ToolFixture.firstLsnOf;
import static io.graphwal.tool.ToolFixture.flip;
import static io.graphwal.tool.ToolFixture.record;
import static io.graphwal.tool.ToolFixture.records;
import static io.graphwal.tool.ToolFixture.rewritePayload;
import static io.graphwal.tool.ToolFixture.run;
import static io.graphwal.tool.ToolFixture.segments;
import static io.graphwal.tool.ToolFixture.truncate;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.graphwal.tool.ToolFixture.RecordAt;
import io.graphwal.tool.ToolFixture.Run;

/** {@code dump} prints records from any LSN with their decoded mutations, and stops where the log is damaged. */
class DumpCommandTest extends ToolTemplate {

    private static long firstLsn;

    @BeforeAll
    static void findFirstLsn() {
        firstLsn = firstLsnOf(segments(template).get(0));
    }

    @Test
    void dumpFromAnLsnStartsExactlyThereAndShowsEveryDecodedMutation() {
        long ann = built.annId();
        long bob = built.bobId();
        long knows = built.knowsId();

        Run result = run("dump", template.toString(), "--from", String.valueOf(built.richLsn()), "--to",
                String.valueOf(built.deletingLsn()));

        assertThat(result.exit()).isZero();
        assertThat(result.err()).isEmpty();
        assertThat(result.outLines()).hasSize(15);
        assertThat(result.outLines().get(0)).matches("LSN " + built.richLsn() + ": transaction, \\d+ bytes, 8 mutations");
        assertThat(result.outLines().subList(1, 9)).containsExactly(
                "    create node " + ann + " :Person:Admin {name: \"Ann \\\"A\\\"\", age: 42, active: true, blob: 0x0102ff}",
                "    create node " + bob + " :Person",
                "    create relationship " + knows + " (" + ann + ")-[:KNOWS]->(" + bob + ") {since: 2020}",
                "    set node " + bob + " property score = 1.5",
                "    add label :Admin to node " + bob,
                "    remove label :Admin from node " + bob,
                "    set relationship " + knows + " property tags = [\"x\", \"y\"]",
                "    create index on :Person(name)");
        assertThat(result.outLines().get(9))
                .matches("LSN " + built.deletingLsn() + ": transaction, \\d+ bytes, 5 mutations");
        assertThat(result.outLines().subList(10, 15)).containsExactly(
                "    remove node " + ann + " property age",
                "    remove relationship " + knows + " property tags",
                "    delete relationship " + knows,
                "    drop index on :Person(name)",
                "    delete node " + bob);
    }

    @Test
    void theSizeShownIsThePayloadSizeOnDisk() {
        RecordAt rich = record(template, built.richLsn());

        Run result = run("dump", template.toString(), "--from=" + built.richLsn(), "--to=" + built.richLsn());

        assertThat(result.recordLines()).containsExactly("LSN " + built.richLsn() + ": transaction, "
                + (rich.size() - RECORD_HEADER_BYTES) + " bytes, 8 mutations");
    }

    @Test
    void withoutOptionsEveryRetainedRecordIsPrintedOnceInOrder() {
        Run result = run("dump", template.toString());

        assertThat(result.exit()).isZero();
        assertThat(result.err()).isEmpty();
        assertThat(result.recordLines()).hasSize((int) (built.lastLsn() - firstLsn + 1));
        assertThat(result.recordLines().get(0)).startsWith("LSN " + firstLsn + ": ");
        assertThat(result.recordLines().get(result.recordLines().size() - 1)).startsWith("LSN " + built.lastLsn() + ": ");
        assertThat(result.out()).contains("    detach delete node " + built.annId());
    }

    @Test
    void dumpFromTheLsnAfterTheLastPrintsNothingAndSucceeds() {
        Run result = run("dump", template.toString(), "--from", String.valueOf(built.lastLsn() + 1));

        assertThat(result.exit()).isZero();
        assertThat(result.out()).isEmpty();
        assertThat(result.err()).isEmpty();
    }

    @Test
    void dumpFromAPurgedLsnFailsSayingWhereTheLogStarts() {
        Run result = run("dump", template.toString(), "--from", "1");

        assertThat(result.exit()).isEqualTo(1);
        assertThat(result.out()).isEmpty();
        assertThat(result.err()).startsWith("ERROR: LSN 1 is no longer in the log, which starts at LSN " + firstLsn);
    }

    @Test
    void dumpFromBeyondTheEndFailsSayingWhereTheLogEnds() {
        Run result = run("dump", template.toString(), "--from", String.valueOf(built.lastLsn() + 2));

        assertThat(result.exit()).isEqualTo(1);
        assertThat(result.err()).startsWith("ERROR: LSN " + (built.lastLsn() + 2) + " is after the end of the log, "
                + "which ends at LSN " + built.lastLsn());
    }

    @Test
    void dumpStopsWithAnErrorLineAtTheFirstDamagedRecord() {
        Path dir = damageable();
        Path sealed = segments(dir).get(1);
        RecordAt victim = records(sealed).get(2);
        flip(sealed, victim.offset() + 8);

        Run result = run("dump", dir.toString(), "--from", String.valueOf(victim.lsn() - 2));

        assertThat(result.exit()).isEqualTo(1);
        assertThat(result.recordLines()).hasSize(2);
        assertThat(result.recordLines().get(1)).startsWith("LSN " + (victim.lsn() - 1) + ": ");
        assertThat(result.err()).startsWith("ERROR: Corrupt write-ahead log: " + sealed + " at byte offset "
                + victim.offset() + " (LSN " + victim.lsn() + "): ");
        assertThat(result.err().lines()).hasSize(1);
    }

    @Test
    void aRangeThatEndsBeforeTheDamageIsDumpedWithoutError() {
        Path dir = damageable();
        Path sealed = segments(dir).get(1);
        RecordAt victim = records(sealed).get(2);
        flip(sealed, victim.offset() + 8);

        Run result = run("dump", dir.toString(), "--from", String.valueOf(firstLsn), "--to",
                String.valueOf(victim.lsn() - 1));

        assertThat(result.exit()).isZero();
        assertThat(result.err()).isEmpty();
        assertThat(result.recordLines()).hasSize((int) (victim.lsn() - firstLsn));
    }

    @Test
    void aRecordThatDoesNotDecodeEndsTheDumpWithAnErrorAfterItsHeaderLine() {
        Path dir = damageable();
        RecordAt rich = record(dir, built.richLsn());
        rewritePayload(rich, 0, (byte) 9);

        Run result = run("dump", dir.toString(), "--from", String.valueOf(built.richLsn() - 1));

        assertThat(result.exit()).isEqualTo(1);
        assertThat(result.recordLines()).hasSize(2);
        assertThat(result.recordLines().get(1)).isEqualTo("LSN " + built.richLsn() + ": transaction, "
                + (rich.size() - RECORD_HEADER_BYTES) + " bytes");
        assertThat(result.err()).isEqualTo("ERROR: the record at LSN " + built.richLsn() + " in " + rich.segment()
                + " has a valid checksum but does not decode: unsupported transaction format version 9 (this build "
                + "reads 1 and 2)" + System.lineSeparator());
    }

    @Test
    void aDumpThatReachesATornTailEndsThereWithAWarning() {
        Path dir = damageable();
        Path last = segments(dir).get(segments(dir).size() - 1);
        RecordAt lastRecord = records(last).get(records(last).size() - 1);
        truncate(last, lastRecord.offset() + 3);

        Run result = run("dump", dir.toString(), "--from", String.valueOf(built.lastLsn() - 1));

        assertThat(result.exit()).isZero();
        assertThat(result.recordLines()).hasSize(1);
        assertThat(result.recordLines().get(0)).startsWith("LSN " + (built.lastLsn() - 1) + ": ");
        assertThat(result.err()).startsWith("WARNING: torn tail in " + last + " at byte offset " + lastRecord.offset()
                + " (LSN " + built.lastLsn() + ")");
    }
}
