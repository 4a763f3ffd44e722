package io.graphwal.tool;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

import io.graphwal.io.FileIO;
import io.graphwal.replay.DatabaseConfig;
import io.graphwal.replay.GraphDatabase;
import io.graphwal.wal.WalConfig;

/**
 * A real GraphWAL directory for the tool's tests, built through {@link GraphDatabase}: a chain of commits
 * over several 16 KiB segments, two checkpoints (so the oldest segments are purged and two snapshots are
 * kept), two transactions that use every kind of mutation, and more commits after them. Also running the
 * tool with its output captured, and reading and damaging the files by their documented layout.
 */
final class ToolFixture {

    static final int SEGMENT_HEADER_BYTES = 24;
    static final int RECORD_HEADER_BYTES = 21;

    /** What {@link #build} wrote. */
    record Built(long firstSnapshotLsn, long secondSnapshotLsn, long richLsn, long deletingLsn, long lastLsn,
            long nodes, long relationships, long annId, long bobId, long knowsId) {
    }

    /** What one run of the tool returned and printed. */
    record Run(int exit, String out, String err) {

        List<String> outLines() {
            return out.lines().toList();
        }

        /** The record header lines of a dump. */
        List<String> recordLines() {
            return out.lines().filter(line -> line.startsWith("LSN ")).toList();
        }
    }

    /** Where one record lies in a segment, read from the record headers themselves. */
    record RecordAt(Path segment, long offset, long lsn, int size) {
    }

    private ToolFixture() {
    }

    static DatabaseConfig config(Path dir) {
        return new DatabaseConfig(WalConfig.builder(dir).segmentSize(16 * 1024).maxRecordSize(4096).build(), 0, 2);
    }

    static Built build(Path dir) {
        try (GraphDatabase db = GraphDatabase.open(config(dir))) {
            long[] previous = {-1};
            commitChain(db, 120, previous);
            long first = db.checkpoint().lsn();
            commitChain(db, 80, previous);
            long second = db.checkpoint().lsn();
            long[] ids = new long[3];
            long rich = db.commit(tx -> {
                Map<String, Object> annProperties = new LinkedHashMap<>();
                annProperties.put("name", "Ann \"A\"");
                annProperties.put("age", 42L);
                annProperties.put("active", true);
                annProperties.put("blob", new byte[] {1, 2, (byte) 0xFF});
                ids[0] = tx.createNode(List.of("Person", "Admin"), annProperties);
                ids[1] = tx.createNode(List.of("Person"), Map.of());
                ids[2] = tx.createRelationship(ids[0], ids[1], "KNOWS", Map.of("since", 2020L));
                tx.setNodeProperty(ids[1], "score", 1.5);
                tx.addLabel(ids[1], "Admin");
                tx.removeLabel(ids[1], "Admin");
                tx.setRelationshipProperty(ids[2], "tags", List.of("x", "y"));
                tx.createIndex("Person", "name");
                return null;
            }).lsn();
            long deleting = db.commit(tx -> {
                tx.removeNodeProperty(ids[0], "age");
                tx.removeRelationshipProperty(ids[2], "tags");
                tx.deleteRelationship(ids[2]);
                tx.dropIndex("Person", "name");
                tx.deleteNode(ids[1]);
                return null;
            }).lsn();
            commitChain(db, 150, previous);
            db.commit(tx -> {
                tx.detachDeleteNode(ids[0]);
                return null;
            });
            commitChain(db, 5, previous);
            long nodes = db.read(view -> view.nodeCount());
            long relationships = db.read(view -> view.relationshipCount());
            return new Built(first, second, rich, deleting, db.wal().appendedLsn(), nodes, relationships, ids[0],
                    ids[1], ids[2]);
        }
    }

    /** Commits {@code count} transactions, each adding a node with a 100-character text linked to the previous one. */
    private static void commitChain(GraphDatabase db, int count, long[] previous) {
        for (int i = 0; i < count; i++) {
            previous[0] = db.commit(tx -> {
                long node = tx.createNode(List.of("Item"), Map.of("text", "x".repeat(100)));
                if (previous[0] >= 0) {
                    tx.createRelationship(previous[0], node, "NEXT", Map.of());
                }
                return node;
            }).value();
        }
    }

    static Run run(String... args) {
        return run(FileIO.standard(), args);
    }

    static Run run(FileIO io, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = WalTool.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), io);
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** The segment files, oldest first. */
    static List<Path> segments(Path dir) {
        return files(dir, "\\d{20}\\.wal");
    }

    /** The snapshot files, oldest first. */
    static List<Path> snapshots(Path dir) {
        return files(dir, "snapshot-\\d{20}\\.snap");
    }

    private static List<Path> files(Path dir, String pattern) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().matches(pattern)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static long firstLsnOf(Path segment) {
        return Long.parseLong(segment.getFileName().toString().substring(0, 20));
    }

    static long lsnOfSnapshot(Path snapshot) {
        return Long.parseLong(snapshot.getFileName().toString().substring("snapshot-".length(), "snapshot-".length() + 20));
    }

    /** Every record of a segment, walked by the length field of each record header. */
    static List<RecordAt> records(Path segment) {
        byte[] bytes = readAll(segment);
        ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        List<RecordAt> records = new ArrayList<>();
        int offset = SEGMENT_HEADER_BYTES;
        while (offset + RECORD_HEADER_BYTES <= bytes.length) {
            int size = RECORD_HEADER_BYTES + buffer.getInt(offset);
            records.add(new RecordAt(segment, offset, buffer.getLong(offset + 8), size));
            offset += size;
        }
        assertThat(offset).as("records of %s end where the file ends", segment.getFileName()).isEqualTo(bytes.length);
        return records;
    }

    /** The record of {@code lsn}, searched in every segment. */
    static RecordAt record(Path dir, long lsn) {
        for (Path segment : segments(dir)) {
            for (RecordAt record : records(segment)) {
                if (record.lsn() == lsn) {
                    return record;
                }
            }
        }
        throw new AssertionError("no record with LSN " + lsn + " in " + dir);
    }

    static void flip(Path file, long offset) {
        byte[] bytes = readAll(file);
        bytes[Math.toIntExact(offset)] ^= (byte) 0xFF;
        write(file, bytes);
    }

    /** Overwrites payload bytes of a record from {@code payloadIndex} on and stores a matching checksum. */
    static void rewritePayload(RecordAt record, int payloadIndex, byte... values) {
        byte[] bytes = readAll(record.segment());
        int start = Math.toIntExact(record.offset());
        System.arraycopy(values, 0, bytes, start + RECORD_HEADER_BYTES + payloadIndex, values.length);
        CRC32C crc = new CRC32C();
        crc.update(bytes, start, 4);
        crc.update(bytes, start + 8, record.size() - 8);
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(start + 4, (int) crc.getValue());
        write(record.segment(), bytes);
    }

    static void truncate(Path file, long size) {
        try (var channel = java.nio.channels.FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(size);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path copy(Path from, Path to) {
        try {
            Files.createDirectories(to);
            try (Stream<Path> files = Files.list(from)) {
                for (Path file : files.toList()) {
                    Files.copy(file, to.resolve(file.getFileName()));
                }
            }
            return to;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The SHA-256 of every file in {@code dir}, by name: equal maps mean the same files with the same bytes. */
    static Map<String, String> checksums(Path dir) {
        Map<String, String> sums = new TreeMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.toList()) {
                sums.put(file.getFileName().toString(),
                        HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(readAll(file))));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
        return sums;
    }

    static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] readAll(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(Path file, byte[] bytes) {
        try {
            Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
