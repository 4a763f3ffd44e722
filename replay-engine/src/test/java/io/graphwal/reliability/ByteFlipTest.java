package io.graphwal.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import io.graphwal.graph.Node;
import io.graphwal.graph.StoreImage;
import io.graphwal.io.FileIO;
import io.graphwal.io.NoSyncFileIO;
import io.graphwal.replay.DatabaseConfig;
import io.graphwal.replay.GraphDatabase;
import io.graphwal.snapshot.GraphSnapshots;
import io.graphwal.snapshot.SnapshotCorruptException;
import io.graphwal.snapshot.SnapshotFiles;
import io.graphwal.wal.SyncMode;
import io.graphwal.wal.TornTailPolicy;
import io.graphwal.wal.WalConfig;
import io.graphwal.wal.WalCorruptionException;

/**
 * The corruption suite: every byte of a small log and of a small snapshot is damaged in turn with several
 * bit patterns. Every byte of both formats is covered by a checksum, so no damage may pass unnoticed:
 * <ul>
 *   <li>a damaged log either opens with exactly the transactions before the damaged record, which is
 *       allowed only when that record is the last one (a torn tail, cut off), or is refused with a
 *       {@link WalCorruptionException} naming the damaged file and an offset at or before the damage;</li>
 *   <li>a damaged snapshot is refused with a {@link SnapshotCorruptException} naming the file and an offset
 *       within it.</li>
 * </ul>
 * Any other exception, an error such as an out-of-memory, or a hang (the class timeout) is a violation. The
 * snapshot is about 100 KB, most of it zero-filled column chunks: by default every byte of its first and last
 * 512 bytes and every 61st byte between them are damaged; {@code -Dgraphwal.test.long=true} damages every byte.
 * The figures go to {@code target/reliability/corruption.txt}.
 */
@Timeout(value = 10, unit = java.util.concurrent.TimeUnit.MINUTES)
class ByteFlipTest {

    private static final int[] PATTERNS = {0x01, 0x80, 0xFF};
    private static final int TRANSACTIONS = 8;
    private static final int SNAPSHOT_STRIDE = SuiteSummary.longMode() ? 1 : 61;
    private static final int SNAPSHOT_EDGE = 512;

    @TempDir
    static Path templates;
    private static Path logTemplate;
    private static Path snapshotTemplate;

    private static long logCases;
    private static long snapshotCases;
    private static final List<String> violations = new ArrayList<>();

    @TempDir
    Path work;

    @BeforeAll
    static void writeTemplates() {
        logTemplate = templates.resolve("log");
        try (GraphDatabase db = GraphDatabase.open(config(logTemplate))) {
            for (int tx = 1; tx <= TRANSACTIONS; tx++) {
                int n = tx;
                db.commit(t -> t.createNode(List.of("T"), Map.of("tx", n, "pad", "q".repeat(n * 11))));
            }
        }
        snapshotTemplate = templates.resolve("snapshot");
        try (GraphDatabase db = GraphDatabase.open(config(snapshotTemplate))) {
            db.commit(t -> {
                long a = t.createNode(List.of("Person"), Map.of("name", "Ann", "tags", List.of("a", "b")));
                long b = t.createNode(List.of("Person", "Admin"), Map.of("blob", new byte[] {1, 2, 3}));
                t.createRelationship(a, b, "KNOWS", Map.of("since", 2019, "weight", 0.5));
                t.createIndex("Person", "name");
                return null;
            });
            db.checkpoint();
        }
    }

    @AfterAll
    static void writeSummary() {
        SuiteSummary.write("corruption", "cases=" + (logCases + snapshotCases) + " log-cases=" + logCases
                + " snapshot-cases=" + snapshotCases + " violations=" + violations.size());
    }

    private static DatabaseConfig config(Path dir) {
        // Opened thousands of times: fsyncs are skipped, they are not what this suite is about.
        return new DatabaseConfig(WalConfig.builder(dir).syncMode(SyncMode.PER_COMMIT).segmentSize(400)
                .maxRecordSize(200).tornTail(TornTailPolicy.TRUNCATE).fileIO(new NoSyncFileIO()).build(), 0, 2);
    }

    @Test
    void everyDamagedByteOfALogIsCutAsATornTailOrRefusedNamingTheFileAndOffset() throws IOException {
        List<Path> segments = files(logTemplate, ".wal");
        assertThat(segments).as("the log spans several segments").hasSizeGreaterThan(1);
        Path lastSegment = segments.get(segments.size() - 1);
        long lastRecordStart = lastRecordStart(lastSegment);
        List<String> found = new ArrayList<>();
        Path dir = copy(logTemplate, work.resolve("log"));
        for (Path segment : segments) {
            long size = Files.size(segment);
            for (long at = 0; at < size; at++) {
                for (int pattern : PATTERNS) {
                    Path damaged = dir.resolve(segment.getFileName());
                    flip(damaged, at, pattern);
                    logCases++;
                    String what = segment.getFileName() + " byte " + at + " XOR " + Integer.toHexString(pattern);
                    boolean inLastRecord = segment.equals(lastSegment) && at >= lastRecordStart;
                    String problem = openDamagedLog(dir, damaged, at, inLastRecord);
                    if (problem != null) {
                        found.add(what + ": " + problem);
                    }
                    if (sameFiles(dir, logTemplate, damaged)) {
                        flip(damaged, at, pattern); // a refusal changes nothing: undo the damage
                    } else {
                        deleteRecursively(dir); // a torn tail was cut: start again from the template
                        copy(logTemplate, dir);
                    }
                }
            }
        }
        violations.addAll(found);
        assertThat(found).isEmpty();
    }

    /** Returns what is wrong with the outcome of opening a damaged log, or null. */
    private static String openDamagedLog(Path dir, Path damaged, long at, boolean inLastRecord) {
        try (GraphDatabase db = GraphDatabase.open(config(dir))) {
            Map<Long, Integer> byTx = db.read(view -> {
                Map<Long, Integer> seen = new TreeMap<>();
                for (Node node : view.nodesWithLabel("T")) {
                    seen.merge((Long) node.properties().get("tx"), 1, Integer::sum);
                }
                return seen;
            });
            if (!inLastRecord) {
                return "opened although the damage is not in the last record; recovered " + byTx.keySet();
            }
            for (long tx = 1; tx < TRANSACTIONS; tx++) {
                if (!Integer.valueOf(1).equals(byTx.get(tx))) {
                    return "the torn tail was cut but the rest is not an exact prefix: " + byTx;
                }
            }
            return byTx.size() == TRANSACTIONS - 1 ? null : "the damaged last record was kept: " + byTx.keySet();
        } catch (WalCorruptionException refused) {
            if (!damaged.equals(refused.file()) || refused.offset() > at || refused.offset() < 0
                    || !refused.getMessage().contains(damaged.getFileName().toString())) {
                return "refused naming " + refused.file() + " at " + refused.offset() + ": " + refused.getMessage();
            }
            return null;
        } catch (Throwable other) {
            return "failed with " + other;
        }
    }

    @Test
    void everyDamagedByteOfASnapshotIsRefusedNamingTheFileAndOffset() throws IOException {
        Path snapshot = files(snapshotTemplate, ".snap").get(0);
        Path dir = copy(snapshotTemplate, work.resolve("snapshot"));
        Path damaged = dir.resolve(snapshot.getFileName());
        GraphSnapshots.read(FileIO.standard(), damaged); // the undamaged copy loads
        long size = Files.size(damaged);
        List<String> found = new ArrayList<>();
        for (long at = 0; at < size; at++) {
            if (at >= SNAPSHOT_EDGE && at < size - SNAPSHOT_EDGE && at % SNAPSHOT_STRIDE != 0) {
                continue;
            }
            for (int pattern : PATTERNS) {
                flip(damaged, at, pattern);
                snapshotCases++;
                String problem;
                try {
                    GraphSnapshots.read(FileIO.standard(), damaged);
                    problem = "loaded without noticing the damage";
                } catch (SnapshotCorruptException refused) {
                    problem = refused.file().equals(damaged) && refused.offset() >= 0 && refused.offset() <= size
                            && refused.getMessage().contains(damaged.getFileName().toString()) ? null
                            : "refused naming " + refused.file() + " at " + refused.offset();
                } catch (Throwable other) {
                    problem = "failed with " + other;
                }
                if (problem != null) {
                    found.add("snapshot byte " + at + " XOR " + Integer.toHexString(pattern) + ": " + problem);
                }
                flip(damaged, at, pattern);
            }
        }
        violations.addAll(found);
        assertThat(found).isEmpty();
    }

    /** The offset of the last record in a segment, found by walking the length fields from the header. */
    private static long lastRecordStart(Path segment) throws IOException {
        byte[] bytes = Files.readAllBytes(segment);
        java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        int header = 24;
        int recordHeader = 21;
        long at = header;
        long last = -1;
        while (at < bytes.length) {
            last = at;
            at += recordHeader + buffer.getInt((int) at);
        }
        assertThat(at).as("the records fill the segment exactly").isEqualTo(bytes.length);
        return last;
    }

    /** Whether every segment in {@code dir} has its template's size, and every one but {@code damaged} its bytes. */
    private static boolean sameFiles(Path dir, Path template, Path damaged) throws IOException {
        List<Path> segments = files(dir, ".wal");
        if (segments.size() != files(template, ".wal").size()) {
            return false;
        }
        for (Path segment : segments) {
            Path original = template.resolve(segment.getFileName());
            if (!Files.exists(original) || Files.size(segment) != Files.size(original)
                    || !segment.equals(damaged) && Files.mismatch(segment, original) != -1) {
                return false;
            }
        }
        return true;
    }

    private static List<Path> files(Path dir, String suffix) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(path -> path.toString().endsWith(suffix)).sorted().toList();
        }
    }

    private static Path copy(Path from, Path to) {
        try {
            Files.createDirectories(to);
            for (Path file : files(from, "")) {
                if (!file.getFileName().toString().equals("graphwal.lock")) {
                    Files.copy(file, to.resolve(file.getFileName()));
                }
            }
            return to;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void flip(Path file, long at, int mask) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(at);
            int value = raf.read();
            raf.seek(at);
            raf.write(value ^ mask);
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                Files.delete(path);
            }
        }
    }
}
