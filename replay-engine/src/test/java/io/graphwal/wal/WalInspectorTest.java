package io.graphwal.wal;

import static io.graphwal.wal.LogFiles.PREFIX;
import static io.graphwal.wal.LogFiles.appendRecords;
import static io.graphwal.wal.LogFiles.assertNames;
import static io.graphwal.wal.LogFiles.copyLog;
import static io.graphwal.wal.LogFiles.createFile;
import static io.graphwal.wal.LogFiles.flip;
import static io.graphwal.wal.LogFiles.refusal;
import static io.graphwal.wal.LogFiles.segmentHeader;
import static io.graphwal.wal.LogFiles.segmentName;
import static io.graphwal.wal.LogFiles.small;
import static io.graphwal.wal.LogFiles.truncate;
import static io.graphwal.wal.LogFiles.write;
import static io.graphwal.wal.WalFixtures.expected;
import static io.graphwal.wal.WalFixtures.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.graphwal.io.FileHandle;
import io.graphwal.io.FileIO;
import io.graphwal.io.WriteRefusingFileIO;
import io.graphwal.wal.LogFiles.Layout;
import io.graphwal.wal.LogFiles.Location;

/**
 * The inspector judges a log exactly as recovery would, but only reads: torn tails and corruption are
 * reported and left in place, and the records before any damage stay readable.
 */
class WalInspectorTest {

    private static final int RECORDS = 400;

    @TempDir
    static Path templates;

    /** 400 records in per-commit mode over at least three segments. */
    private static Path perCommit;

    @TempDir
    Path dir;

    @BeforeAll
    static void writeTemplate() {
        perCommit = templates.resolve("per-commit");
        write(small(perCommit).build(), 1, RECORDS);
        assertThat(Layout.of(perCommit).segmentCount()).isGreaterThanOrEqualTo(3);
    }

    @Test
    void anIntactLogVerifiesWithEveryRecordReadable() {
        Path log = copyLog(perCommit, dir.resolve("log"));
        Layout layout = Layout.of(log);

        WalInspector inspector = WalInspector.scan(log, new WriteRefusingFileIO()).verify();

        assertThat(inspector.corruption()).isNull();
        assertThat(inspector.tornTail()).isNull();
        assertThat(inspector.firstLsn()).isEqualTo(1);
        assertThat(inspector.lastLsn()).isEqualTo(RECORDS);
        assertThat(inspector.records()).isEqualTo(RECORDS);
        assertThat(inspector.segments()).extracting(s -> s.file().getFileName().toString())
                .containsExactlyElementsOf(layout.files);
        WalInspector.SegmentInfo first = inspector.segments().get(0);
        assertThat(first.firstLsn()).isEqualTo(1);
        assertThat(first.lastLsn()).isEqualTo(layout.lastLsnOf(0));
        assertThat(first.records()).isEqualTo(layout.lastLsnOf(0));
        assertThat(first.verifiedBytes()).isEqualTo(LogFiles.size(first.file()));
        assertThat(readAll(inspector, 1)).isEqualTo(expected(1, RECORDS, PREFIX));
    }

    @Test
    void aTornTailIsReportedAsOpeningWouldCutItButLeftInPlace() {
        Path log = copyLog(perCommit, dir.resolve("log"));
        Location last = Layout.of(log).at(RECORDS);
        Path file = last.in(log);
        truncate(file, last.offset() + 5);
        Map<String, String> before = checksums(log);

        WalInspector inspector = WalInspector.scan(log, new WriteRefusingFileIO()).verify();

        assertThat(checksums(log)).isEqualTo(before);
        WalInspector.TornTail torn = inspector.tornTail();
        assertThat(torn).isNotNull();
        assertThat(torn.file()).isEqualTo(file);
        assertThat(torn.offset()).isEqualTo(last.offset());
        assertThat(torn.bytes()).isEqualTo(5);
        assertThat(torn.fromLsn()).isEqualTo(RECORDS);
        assertThat(torn.toLsn()).isEqualTo(RECORDS);
        assertThat(torn.problem()).contains("cut off");
        assertThat(inspector.lastLsn()).isEqualTo(RECORDS - 1);
        assertThat(readAll(inspector, RECORDS - 3)).isEqualTo(expected(RECORDS - 3, RECORDS - 1, PREFIX));

        try (WriteAheadLog wal = WriteAheadLog.open(small(log).build())) {
            RecoveryReport report = wal.recovery();
            assertThat(report.tornTailFile()).isEqualTo(torn.file());
            assertThat(report.tornTailBytes()).isEqualTo(torn.bytes());
            assertThat(report.droppedFromLsn()).isEqualTo(torn.fromLsn());
            assertThat(report.lastLsn()).isEqualTo(inspector.lastLsn());
        }
    }

    @Test
    void aTornSegmentHeaderIsReportedWithoutRemovingTheFile() {
        Path log = copyLog(perCommit, dir.resolve("log"));
        Path torn = log.resolve(segmentName(RECORDS + 1));
        createFile(torn, Arrays.copyOf(segmentHeader(RECORDS + 1), 10));

        WalInspector inspector = WalInspector.scan(log, new WriteRefusingFileIO()).verify();

        assertThat(torn).exists().hasSize(10);
        assertThat(inspector.tornTail().file()).isEqualTo(torn);
        assertThat(inspector.tornTail().offset()).isZero();
        assertThat(inspector.tornTail().bytes()).isEqualTo(10);
        assertThat(inspector.tornTail().fromLsn()).isEqualTo(RECORDS + 1);
        assertThat(inspector.tornTail().problem()).contains("header is truncated");
        assertThat(inspector.segments()).extracting(WalInspector.SegmentInfo::file).doesNotContain(torn);
        assertThat(inspector.lastLsn()).isEqualTo(RECORDS);
    }

    @Test
    void damageInASealedSegmentStopsTheScanThereAndKeepsTheRecordsBeforeItReadable() {
        Path log = copyLog(perCommit, dir.resolve("log"));
        Layout layout = Layout.of(log);
        long damaged = layout.lastLsnOf(0) + 10;
        Location record = layout.at(damaged);
        Path file = record.in(log);
        flip(file, record.offset() + LogFiles.RECORD_HEADER_BYTES, 0xFF);
        Map<String, String> before = checksums(log);

        WalInspector inspector = WalInspector.scan(log, new WriteRefusingFileIO());

        assertThat(checksums(log)).isEqualTo(before);
        assertNames(inspector.corruption(), file, record.offset(), damaged, "scan");
        assertThat(inspector.corruption()).hasMessageContaining("sealed segment");
        assertThatThrownBy(inspector::verify).isSameAs(inspector.corruption());
        assertThat(inspector.tornTail()).isNull();
        assertThat(inspector.lastLsn()).isEqualTo(damaged - 1);
        List<WalInspector.SegmentInfo> segments = inspector.segments();
        assertThat(segments).hasSize(2);
        assertThat(segments.get(1).file()).isEqualTo(file);
        assertThat(segments.get(1).lastLsn()).isEqualTo(damaged - 1);
        assertThat(segments.get(1).verifiedBytes()).isEqualTo(record.offset());
        assertThat(readAll(inspector, 1)).isEqualTo(expected(1, damaged - 1, PREFIX));

        WalCorruptionException refused = refusal(small(log).build(), "open");
        assertNames(refused, file, record.offset(), damaged, "open");
    }

    @Test
    void aMissingSegmentIsAGapReportedAfterTheSegmentsBeforeIt() throws IOException {
        Path log = copyLog(perCommit, dir.resolve("log"));
        Layout layout = Layout.of(log);
        Files.delete(log.resolve(layout.file(1)));

        WalInspector inspector = WalInspector.scan(log, new WriteRefusingFileIO());

        assertNames(inspector.corruption(), log.resolve(layout.file(2)), 0, layout.firstLsnOf(1), "scan");
        assertThat(inspector.corruption()).hasMessageContaining("LSN gap");
        assertThat(inspector.segments()).hasSize(1);
        assertThat(inspector.lastLsn()).isEqualTo(layout.lastLsnOf(0));
    }

    @Test
    void readsFromAnyLsnWhileAnOpenLogHoldsTheDirectoryAndNeverSeesLaterRecords() {
        try (WriteAheadLog wal = WriteAheadLog.open(small(dir).build())) {
            appendRecords(wal, 1, 300);

            WalInspector inspector = WalInspector.scan(dir, new WriteRefusingFileIO()).verify();
            appendRecords(wal, 301, 320);

            assertThat(inspector.lastLsn()).isEqualTo(300);
            assertThat(readAll(inspector, 123)).isEqualTo(expected(123, 300, PREFIX));
            assertThat(readAll(inspector, 301)).isEmpty();
            assertThatThrownBy(() -> inspector.reader(302)).isInstanceOf(WalException.class)
                    .hasMessageContaining("LSN 302");
            assertThat(wal.append(WalFixtures.TYPE, WalFixtures.payload(PREFIX + 321))).isEqualTo(321);
        }
    }

    @Test
    void anEmptyDirectoryHoldsNoRecordsAndHasNothingToRead() {
        WalInspector inspector = WalInspector.scan(dir, new WriteRefusingFileIO()).verify();

        assertThat(inspector.segments()).isEmpty();
        assertThat(inspector.firstLsn()).isEqualTo(1);
        assertThat(inspector.lastLsn()).isZero();
        assertThat(inspector.records()).isZero();
        assertThatThrownBy(() -> inspector.reader(1)).isInstanceOf(WalException.class)
                .hasMessageContaining("no intact segment");
    }

    @Test
    void aMissingDirectoryIsRefusedAndNotCreated() {
        Path missing = dir.resolve("missing");

        assertThatThrownBy(() -> WalInspector.scan(missing, new WriteRefusingFileIO()))
                .isInstanceOf(WalException.class).hasMessageContaining("not a directory");
        assertThat(missing).doesNotExist();
    }

    @Test
    void aLogOpenInThisJvmMakesTheDirectoryLiveAndKeepsItsLock() throws Exception {
        assertThat(WalInspector.scan(dir, new WriteRefusingFileIO()).inUseBy()).as("nothing holds it yet").isNull();
        try (WriteAheadLog wal = WriteAheadLog.open(small(dir).build())) {
            appendRecords(wal, 1, 10);

            WalInspector inspector = WalInspector.scan(dir, new WriteRefusingFileIO());

            assertThat(inspector.inUseBy()).startsWith("pid " + ProcessHandle.current().pid());
            assertThat(inspector.tornTail()).isNull();
            assertThat(inspector.lastLsn()).isEqualTo(10);
            // Opening and closing the lock file here would have dropped the log's OS lock.
            Process other = childProbe("open", ProcessBuilder.Redirect.DISCARD);
            assertThat(other.waitFor(BOUND_SECONDS, TimeUnit.SECONDS)).isTrue();
            assertThat(other.exitValue()).as("another process is still refused").isEqualTo(LockProbe.LOCKED);
        }
        assertThat(WalInspector.scan(dir, new WriteRefusingFileIO()).inUseBy()).as("closed, lock file left").isNull();
    }

    @Test
    void aLogHeldByAnotherProcessIsSeenWithoutTakingItsLock() throws Exception {
        Path output = scratch.resolve("hold.out");
        Process holder = childProbe("hold", ProcessBuilder.Redirect.to(output.toFile()));
        try {
            // Only once its log is open has it written its description into the lock file.
            Await.until("the child holds the directory", () -> read(output).contains("HOLDING") || !holder.isAlive());
            WalInspector inspector = WalInspector.scan(dir, new WriteRefusingFileIO());

            assertThat(inspector.inUseBy()).as("named from the lock file").startsWith("pid " + holder.pid());
            try (OutputStream stdin = holder.getOutputStream()) {
                stdin.write("release\n".getBytes(StandardCharsets.UTF_8));
            }
            assertThat(holder.waitFor(BOUND_SECONDS, TimeUnit.SECONDS)).isTrue();
            assertThat(holder.exitValue()).as("the holder kept its log open to the end").isEqualTo(LockProbe.OPENED);
        } finally {
            holder.destroyForcibly();
            holder.waitFor(BOUND_SECONDS, TimeUnit.SECONDS);
        }
        assertThat(WalInspector.scan(dir, new WriteRefusingFileIO()).inUseBy()).isNull();
    }

    @Test
    void aCursorNeverGrowsItsBufferPastTheBytesLeftInTheFile() throws IOException {
        // One record of 300,000 bytes in a file that ends with it: the buffer must hold the record, but not
        // grow to twice its 256 KiB start as it would for a file with more records to come.
        try (WriteAheadLog wal = WriteAheadLog.open(small(dir).segmentSize(2 << 20).maxRecordSize(1 << 20).build())) {
            wal.append(WalFixtures.TYPE, java.nio.ByteBuffer.wrap(new byte[300_000]));
        }
        Path segment = dir.resolve(segmentName(1));
        long fileSize = Files.size(segment);
        try (FileHandle file = FileIO.standard().open(segment, FileIO.OpenMode.READ)) {
            RecordCursor cursor = new RecordCursor(file, WalFormat.SEGMENT_HEADER_SIZE, fileSize,
                    WalConfig.MAX_RECORD_SIZE_LIMIT, 256 * 1024);

            assertThat(cursor.next()).isEqualTo(RecordCursor.Outcome.RECORD);
            assertThat(cursor.bufferCapacity()).isLessThanOrEqualTo((int) (fileSize - WalFormat.SEGMENT_HEADER_SIZE));
        }
    }

    private static final long BOUND_SECONDS = 30;

    /** Where child processes write their output; kept out of the log directory. */
    @TempDir
    Path scratch;

    private Process childProbe(String mode, ProcessBuilder.Redirect output) throws IOException {
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        return new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), LockProbe.class.getName(),
                mode, dir.toString()).redirectErrorStream(true).redirectOutput(output).start();
    }

    private static String read(Path output) {
        try {
            return Files.exists(output) ? Files.readString(output) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> readAll(WalInspector inspector, long fromLsn) {
        List<String> records = new ArrayList<>();
        try (WalReader reader = inspector.reader(fromLsn)) {
            while (reader.next()) {
                records.add(reader.lsn() + ":" + text(reader.payload()));
            }
        }
        return records;
    }

    /** The SHA-256 of every file in {@code dir}, by name. */
    private static Map<String, String> checksums(Path dir) {
        Map<String, String> sums = new TreeMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.toList()) {
                sums.put(file.getFileName().toString(), HexFormat.of()
                        .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file))));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
        return sums;
    }
}
