package io.graphwal.wal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/**
 * The on-disk layout of segments and records, in one place. All integers are little-endian.
 *
 * <pre>
 * segment header (24 bytes)
 *   0  u32 magic "GWAL"        4  u16 format version      6  u16 flags (0)
 *   8  u64 first LSN          16  u32 reserved (0)        20  u32 CRC32C of bytes 0..20
 *
 * record (21-byte header + payload)
 *   0  u32 payload length      4  u32 CRC32C of bytes 0..4 and 8..end (all but itself)
 *   8  u64 LSN                16  u32 unsynced distance  20  u8 type (never 0)   21  payload
 * </pre>
 *
 * <p>The unsynced distance is {@code lsn - durableLsn} at the moment the record was written (saturated at
 * {@code 0xFFFFFFFF}). Recovery uses it to tell a torn write from corruption: if a damaged record is followed
 * by a valid record that was written after the damaged one had been fsynced, the damage cannot come from a
 * lost unsynced write and is refused as corruption. Type 0 is never written, so a zero-filled region never
 * parses as a record.
 */
final class WalFormat {

    static final int SEGMENT_MAGIC = 0x4C415747; // "GWAL" read little-endian
    static final short FORMAT_VERSION = 1;
    static final int SEGMENT_HEADER_SIZE = 24;
    static final int RECORD_HEADER_SIZE = 21;
    static final String SEGMENT_SUFFIX = ".wal";
    static final int SEGMENT_NAME_DIGITS = 20;

    private WalFormat() {
    }

    static String segmentFileName(long firstLsn) {
        return String.format("%0" + SEGMENT_NAME_DIGITS + "d%s", firstLsn, SEGMENT_SUFFIX);
    }

    /**
     * Parses a segment file name into its first LSN.
     *
     * @return the LSN, or -1 if the name is not a segment name
     */
    static long parseSegmentFileName(String name) {
        if (name.length() != SEGMENT_NAME_DIGITS + SEGMENT_SUFFIX.length() || !name.endsWith(SEGMENT_SUFFIX)) {
            return -1;
        }
        long value = 0;
        for (int i = 0; i < SEGMENT_NAME_DIGITS; i++) {
            char c = name.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            if (value > (Long.MAX_VALUE - (c - '0')) / 10) {
                return -1; // more than a long holds
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    static ByteBuffer encodeSegmentHeader(long firstLsn) {
        ByteBuffer header = ByteBuffer.allocate(SEGMENT_HEADER_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        header.putInt(SEGMENT_MAGIC).putShort(FORMAT_VERSION).putShort((short) 0).putLong(firstLsn).putInt(0);
        CRC32C crc = new CRC32C();
        crc.update(header.array(), 0, SEGMENT_HEADER_SIZE - 4);
        header.putInt((int) crc.getValue());
        return header.flip();
    }

    /**
     * Checks a segment header.
     *
     * @param header exactly {@link #SEGMENT_HEADER_SIZE} bytes from position 0, little-endian
     * @param expectedFirstLsn the LSN the file name promises
     * @return {@code null} if the header is valid, otherwise what is wrong with it
     */
    static String checkSegmentHeader(ByteBuffer header, long expectedFirstLsn) {
        if (header.limit() < SEGMENT_HEADER_SIZE) {
            return "segment header is truncated (" + header.limit() + " of " + SEGMENT_HEADER_SIZE + " bytes)";
        }
        if (header.getInt(0) != SEGMENT_MAGIC) {
            return "not a GraphWAL segment (bad magic)";
        }
        CRC32C crc = new CRC32C();
        crc.update(header.duplicate().position(0).limit(SEGMENT_HEADER_SIZE - 4));
        if ((int) crc.getValue() != header.getInt(SEGMENT_HEADER_SIZE - 4)) {
            return "segment header checksum mismatch";
        }
        short version = header.getShort(4);
        if (version != FORMAT_VERSION) {
            return "unsupported segment format version " + version + " (this build reads version " + FORMAT_VERSION + ")";
        }
        long firstLsn = header.getLong(8);
        if (firstLsn != expectedFirstLsn) {
            return "segment header says first LSN " + firstLsn + " but the file name says " + expectedFirstLsn;
        }
        return null;
    }

    /** Encodes the unsynced distance, saturating so that an old durable LSN never wraps. */
    static int unsyncedDistance(long lsn, long durableLsn) {
        long distance = lsn - durableLsn;
        return distance >= 0xFFFF_FFFFL ? -1 : (int) distance;
    }

    /** The durable LSN a record's writer knew of, from its unsynced distance (conservative when saturated). */
    static long durableLsnAtWrite(long lsn, int unsyncedDistance) {
        return lsn - Integer.toUnsignedLong(unsyncedDistance);
    }

    /**
     * Writes a record header into {@code target} at its position, followed by nothing: the caller appends
     * the payload and then stores {@link #recordCrc} at offset 4.
     */
    static void putRecordHeader(ByteBuffer target, int payloadLength, long lsn, int unsyncedDistance, byte type) {
        target.putInt(payloadLength).putInt(0).putLong(lsn).putInt(unsyncedDistance).put(type);
    }

    /**
     * Computes the CRC32C of the record between {@code start} and {@code end}: its length field, then
     * everything after the CRC field.
     *
     * @param view a view of the record's buffer whose position and limit this method may change; callers keep
     *     one per buffer so the hot path allocates nothing
     */
    static int recordCrc(ByteBuffer view, int start, int end, CRC32C crc) {
        crc.reset();
        view.limit(start + 4).position(start);
        crc.update(view);
        view.limit(end).position(start + 8);
        crc.update(view);
        return (int) crc.getValue();
    }
}
