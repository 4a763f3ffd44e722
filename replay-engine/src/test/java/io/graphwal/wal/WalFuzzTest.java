package io.graphwal.wal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32C;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

import io.graphwal.graph.MalformedDataException;
import io.graphwal.replay.DatabaseConfig;
import io.graphwal.replay.GraphDatabase;
import io.graphwal.replay.ReplayException;

/**
 * Fuzzes the log's decoders: the segment header check, and recovery plus replay of a segment whose records
 * the fuzzer shapes (lengths, LSNs, unsynced distances, types and payloads, with checksums computed here so
 * that the decoding behind the checksum is reached, mixed with raw garbage). Opening either succeeds or is
 * refused with a {@link WalCorruptionException} (damage in the log) or a {@link ReplayException} (a record that
 * does not decode or apply); any other exception, a hang or an out-of-memory is a finding.
 *
 * <p>{@code mvn verify} replays the saved inputs under
 * {@code src/test/resources/io/graphwal/wal/WalFuzzTestInputs}; {@code JAZZER_FUZZ=1} fuzzes.
 */
class WalFuzzTest {

    private static final int MAX_RECORD = 4096;

    @FuzzTest(maxDuration = "10m")
    void anySegmentHeaderIsAcceptedOrNamedAsWrong(byte[] header) {
        ByteBuffer buffer = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN);
        String problem = WalFormat.checkSegmentHeader(buffer, 1);
        if (problem == null) {
            // The reserved bytes are covered by the checksum but not checked: a later version may use them.
            ByteBuffer written = WalFormat.encodeSegmentHeader(1);
            if (buffer.getInt(0) != written.getInt(0) || buffer.getShort(4) != written.getShort(4)
                    || buffer.getLong(8) != 1) {
                throw new AssertionError("accepted a header with the wrong magic, version or first LSN");
            }
        }
    }

    @FuzzTest(maxDuration = "10m")
    void anyLogOpensOrIsRefusedAsCorruptOrUnreplayable(FuzzedDataProvider data) throws IOException {
        Path dir = Files.createTempDirectory("graphwal-fuzz");
        try {
            Files.write(dir.resolve(WalFormat.segmentFileName(1)), segment(data));
            DatabaseConfig config = new DatabaseConfig(WalConfig.builder(dir).syncMode(SyncMode.NONE)
                    .segmentSize(1 << 20).maxRecordSize(MAX_RECORD)
                    .tornTail(data.consumeBoolean() ? TornTailPolicy.TRUNCATE : TornTailPolicy.FAIL).build(), 0, 1);
            try (GraphDatabase db = GraphDatabase.open(config)) {
                db.read(view -> view.nodeCount());
            } catch (WalCorruptionException refused) {
                // damage in the log, named by file, offset and LSN
            } catch (ReplayException refused) {
                // Opening wraps anything unexpected in a ReplayException too; only the replay loop's own
                // refusals of a record that does not decode or apply are documented outcomes.
                Throwable cause = refused.getCause();
                if (cause != null && !(cause instanceof MalformedDataException)
                        && !(cause instanceof IllegalStateException
                                && refused.getMessage().contains("does not apply"))) {
                    throw refused;
                }
            }
        } finally {
            try (var files = Files.list(dir)) {
                for (Path file : files.toList()) {
                    Files.delete(file);
                }
            }
            Files.delete(dir);
        }
    }

    /** A segment: a valid header (usually), then fuzzer-shaped records and garbage. */
    private static byte[] segment(FuzzedDataProvider data) {
        ByteBuffer out = ByteBuffer.allocate(64 * 1024).order(ByteOrder.LITTLE_ENDIAN);
        if (data.consumeInt(0, 15) != 0) {
            out.put(WalFormat.encodeSegmentHeader(1));
        }
        CRC32C crc = new CRC32C();
        long lsn = 1;
        while (data.remainingBytes() > 0 && out.remaining() > MAX_RECORD * 2) {
            int choice = data.consumeInt(0, 7);
            if (choice == 0) {
                out.put(data.consumeBytes(data.consumeInt(0, 64)));
                continue;
            }
            byte[] payload = data.consumeBytes(data.consumeInt(0, MAX_RECORD));
            long recordLsn = choice == 1 ? data.consumeLong() : lsn++;
            int distance = choice == 2 ? data.consumeInt() : 1;
            byte type = choice == 3 ? data.consumeByte() : 1;
            int length = choice == 4 ? data.consumeInt() : payload.length;
            int start = out.position();
            WalFormat.putRecordHeader(out, length, recordLsn, distance, type);
            out.put(payload);
            int end = out.position();
            out.putInt(start + 4, WalFormat.recordCrc(out.duplicate(), start, end, crc));
            if (choice == 5 && end > start) {
                int at = start + data.consumeInt(0, end - start - 1);
                out.put(at, (byte) (out.get(at) ^ data.consumeByte()));
            }
        }
        byte[] bytes = new byte[out.position()];
        out.flip().get(bytes);
        return bytes;
    }
}
