package io.graphwal.archive;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.UUID;
import java.util.zip.CRC32C;

/**
 * The layout of an archived object: a fixed header that says what the object is and checksums itself and
 * the body, then the body. All integers are little-endian.
 *
 * <pre>
 * header (80 bytes)
 *   0  u32 magic "GWAR"          4  u16 format version (1)     6  u8 kind (1 log, 2 snapshot)   7  u8 flags (0)
 *   8  u64 graph id, high bits   16  u64 graph id, low bits    24  u64 timeline
 *  32  u64 first LSN            40  u64 last LSN               (a snapshot: its LSN, twice)
 *  48  i64 earliest commit time  56  i64 latest commit time     (microseconds since the epoch; 0 unknown)
 *  64  u64 body length          72  u32 CRC32C of the body     76  u32 CRC32C of bytes 0..76
 *
 * log body: for each LSN from first to last, in order
 *   u32 payload length, u8 record type, payload
 * snapshot body: the snapshot file's bytes
 * </pre>
 *
 * <p>The header repeats what the object's name says, so a renamed, misplaced or foreign object is refused
 * by comparing the two, and the body checksum is verified as the body is read, before its last byte is
 * handed on. Log bodies have their own framing, not the segment format, so the archive outlives changes to
 * the local log's layout.
 */
final class ArchiveFormat {

    static final int MAGIC = 0x52415747; // "GWAR" read little-endian
    static final short VERSION = 1;
    static final int HEADER_SIZE = 80;
    static final byte KIND_LOG = 1;
    static final byte KIND_SNAPSHOT = 2;
    /** Per log record: u32 length and u8 type. */
    static final int RECORD_OVERHEAD = 5;

    private ArchiveFormat() {
    }

    /**
     * What an object's header says.
     *
     * @param kind {@link #KIND_LOG} or {@link #KIND_SNAPSHOT}
     * @param graphId the graph it belongs to
     * @param timeline its timeline
     * @param firstLsn the first LSN it holds (a snapshot's LSN)
     * @param lastLsn the last LSN it holds (a snapshot's LSN)
     * @param earliestMicros the earliest commit time of its records (a snapshot: of its LSN), 0 if unknown
     * @param latestMicros the latest commit time of its records, 0 if unknown
     * @param bodyLength the body's size
     * @param bodyCrc the body's CRC32C
     */
    record Header(byte kind, String graphId, long timeline, long firstLsn, long lastLsn, long earliestMicros,
            long latestMicros, long bodyLength, int bodyCrc) {

        byte[] encode() {
            ByteBuffer out = ByteBuffer.allocate(HEADER_SIZE).order(ByteOrder.LITTLE_ENDIAN);
            UUID id = UUID.fromString(graphId);
            out.putInt(MAGIC).putShort(VERSION).put(kind).put((byte) 0);
            out.putLong(id.getMostSignificantBits()).putLong(id.getLeastSignificantBits()).putLong(timeline);
            out.putLong(firstLsn).putLong(lastLsn).putLong(earliestMicros).putLong(latestMicros);
            out.putLong(bodyLength).putInt(bodyCrc);
            CRC32C crc = new CRC32C();
            crc.update(out.array(), 0, HEADER_SIZE - 4);
            out.putInt((int) crc.getValue());
            return out.array();
        }
    }

    /**
     * Decodes and checks a header.
     *
     * @param bytes exactly {@link #HEADER_SIZE} bytes
     * @param object the object's name, for messages
     * @throws ArchiveCorruptException if the bytes are not a valid header
     */
    static Header decodeHeader(byte[] bytes, String object) {
        ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (in.getInt(0) != MAGIC) {
            throw new ArchiveCorruptException(object, "it is not a GraphWAL archive object (bad magic)");
        }
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, HEADER_SIZE - 4);
        if ((int) crc.getValue() != in.getInt(HEADER_SIZE - 4)) {
            throw new ArchiveCorruptException(object, "its header checksum does not match");
        }
        short version = in.getShort(4);
        if (version != VERSION) {
            throw new ArchiveCorruptException(object, "it has format version " + version + "; this build reads "
                    + VERSION);
        }
        byte kind = in.get(6);
        if (kind != KIND_LOG && kind != KIND_SNAPSHOT || in.get(7) != 0) {
            throw new ArchiveCorruptException(object, "it has an unknown kind " + kind + " or flags " + in.get(7));
        }
        String graphId = new UUID(in.getLong(8), in.getLong(16)).toString();
        Header header = new Header(kind, graphId, in.getLong(24), in.getLong(32), in.getLong(40), in.getLong(48),
                in.getLong(56), in.getLong(64), in.getInt(72));
        if (header.firstLsn() < 1 && kind == KIND_LOG || header.lastLsn() < header.firstLsn()
                || header.bodyLength() < 0 || header.timeline() < 1) {
            throw new ArchiveCorruptException(object, "its header holds impossible values " + header);
        }
        return header;
    }

    /** Reads exactly {@code length} bytes, or throws naming the object if it ends first. */
    static byte[] readFully(InputStream in, int length, String object) throws IOException {
        byte[] bytes = in.readNBytes(length);
        if (bytes.length != length) {
            throw new ArchiveCorruptException(object, "it ends after " + bytes.length + " bytes where " + length
                    + " were expected (truncated)");
        }
        return bytes;
    }
}
