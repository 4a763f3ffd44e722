package io.graphwal.graph;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A growable little-endian byte buffer with variable-length integers, for the binary codecs of values,
 * mutations and property blocks. Reused by its owner between encodings; not thread-safe.
 */
final class ByteWriter {

    private byte[] bytes;
    private int size;

    ByteWriter(int initialCapacity) {
        bytes = new byte[Math.max(16, initialCapacity)];
    }

    void reset() {
        size = 0;
    }

    int size() {
        return size;
    }

    byte[] toByteArray() {
        return Arrays.copyOf(bytes, size);
    }

    /** A view of the bytes written so far, valid until the next write or reset. */
    ByteBuffer view() {
        return ByteBuffer.wrap(bytes, 0, size);
    }

    private void ensure(int more) {
        if (size + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(size + more, bytes.length * 2));
        }
    }

    void putByte(int value) {
        ensure(1);
        bytes[size++] = (byte) value;
    }

    void putBytes(byte[] source) {
        ensure(source.length);
        System.arraycopy(source, 0, bytes, size, source.length);
        size += source.length;
    }

    void putLong(long value) {
        ensure(8);
        for (int i = 0; i < 8; i++) {
            bytes[size++] = (byte) (value >>> (8 * i));
        }
    }

    /** Unsigned LEB128. */
    void putVarLong(long value) {
        ensure(10);
        long v = value;
        while ((v & ~0x7FL) != 0) {
            bytes[size++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        bytes[size++] = (byte) v;
    }

    void putVarInt(int value) {
        putVarLong(Integer.toUnsignedLong(value));
    }

    /** How many bytes {@link #putVarInt} takes for a non-negative {@code value}. */
    static int varIntSize(int value) {
        return value < 1 << 7 ? 1 : value < 1 << 14 ? 2 : value < 1 << 21 ? 3 : value < 1 << 28 ? 4 : 5;
    }

    /** Writes a non-negative {@code value} as {@link #putVarInt} does, into {@code target} at {@code at}; returns the offset after it. */
    static int putVarInt(byte[] target, int at, int value) {
        int v = value;
        int i = at;
        while ((v & ~0x7F) != 0) {
            target[i++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        target[i++] = (byte) v;
        return i;
    }

    /** Zig-zag then LEB128, so small negative numbers stay small. */
    void putSignedVarLong(long value) {
        putVarLong((value << 1) ^ (value >> 63));
    }

    void putDouble(double value) {
        putLong(Double.doubleToRawLongBits(value));
    }

    void putString(String value) {
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        putVarInt(utf8.length);
        putBytes(utf8);
    }

    void putByteArray(byte[] value) {
        putVarInt(value.length);
        putBytes(value);
    }
}
