package io.graphwal.graph;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Reads what {@link ByteWriter} wrote, from a {@link ByteBuffer}, checking every length against the bytes
 * that remain so that damaged input fails with a {@link MalformedDataException} instead of allocating
 * or reading past the end.
 */
final class ByteReader {

    private final ByteBuffer buffer;
    private final StringCache strings;

    ByteReader(ByteBuffer buffer) {
        this(buffer, null);
    }

    /** A reader that decodes strings through {@code strings}, for hot paths that see the same ones often. */
    ByteReader(ByteBuffer buffer, StringCache strings) {
        this.buffer = buffer;
        this.strings = strings;
    }

    boolean hasRemaining() {
        return buffer.hasRemaining();
    }

    int remaining() {
        return buffer.remaining();
    }

    int position() {
        return buffer.position();
    }

    private void need(long count, String what) {
        if (count < 0 || count > buffer.remaining()) {
            throw new MalformedDataException(what + " needs " + Long.toUnsignedString(count) + " bytes but only "
                    + buffer.remaining()
                    + " remain at offset " + buffer.position());
        }
    }

    int getByte() {
        need(1, "a byte");
        return buffer.get() & 0xFF;
    }

    long getLong() {
        need(8, "a long");
        long value = 0;
        for (int i = 0; i < 8; i++) {
            value |= (buffer.get() & 0xFFL) << (8 * i);
        }
        return value;
    }

    long getVarLong() {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int b = getByte();
            value |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                if (shift == 63 && (b & 0x7E) != 0) {
                    break;
                }
                return value;
            }
        }
        throw new MalformedDataException("variable-length integer longer than 64 bits at offset " + buffer.position());
    }

    int getVarInt() {
        long value = getVarLong();
        if (value > 0xFFFF_FFFFL) {
            throw new MalformedDataException("integer " + value + " out of range at offset " + buffer.position());
        }
        return (int) value;
    }

    /** A non-negative count or length that must not exceed {@code max} (and the bytes left, if each element takes one). */
    int getCount(long max, String what) {
        long value = getVarLong();
        if (value < 0 || value > max) {
            throw new MalformedDataException(what + " " + Long.toUnsignedString(value) + " is out of range (at most "
                    + max + ") at offset " + buffer.position());
        }
        return (int) value;
    }

    long getSignedVarLong() {
        long raw = getVarLong();
        return (raw >>> 1) ^ -(raw & 1);
    }

    double getDouble() {
        return Double.longBitsToDouble(getLong());
    }

    String getString() {
        if (strings == null) {
            return new String(getLengthPrefixed("a string"), StandardCharsets.UTF_8);
        }
        long length = getVarLong();
        need(length, "a string");
        return strings.decode(buffer, (int) length);
    }

    /** The varint length of a string, checked against the bytes left; the string's bytes follow. */
    int getStringLength() {
        long length = getVarLong();
        need(length, "a string");
        return (int) length;
    }

    /** Moves past {@code count} bytes that are known to remain. */
    void skip(int count) {
        buffer.position(buffer.position() + count);
    }

    /** Moves past {@code count} bytes, checking that they remain. */
    void skipChecked(int count, String what) {
        need(count, what);
        buffer.position(buffer.position() + count);
    }

    /** Moves past a varint length and that many bytes, checking the length against the bytes left. */
    void skipLengthPrefixed(String what) {
        long length = getVarLong();
        need(length, what);
        buffer.position(buffer.position() + (int) length);
    }

    byte[] getByteArray() {
        return getLengthPrefixed("a byte array");
    }

    /** A varint length, checked against the bytes left after it, then that many bytes. */
    private byte[] getLengthPrefixed(String what) {
        long length = getVarLong();
        need(length, what);
        byte[] value = new byte[(int) length];
        buffer.get(value);
        return value;
    }
}
