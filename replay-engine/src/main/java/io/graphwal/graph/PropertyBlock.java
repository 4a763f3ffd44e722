package io.graphwal.graph;

import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An entity's properties packed into one immutable byte array: varint count, then (varint key id, tagged
 * value) pairs in key-id order. Small properties cost a few bytes each instead of a map entry, a boxed value
 * and a string reference. A transaction's changes build a new block ({@link PropertyEdits}); readers holding the old one are
 * unaffected.
 * {@code null} is the empty block.
 */
final class PropertyBlock {

    private PropertyBlock() {
    }

    /** Encodes canonical properties by key id (ascending). */
    static byte[] encode(int[] keys, Object[] values, int count) {
        if (count == 0) {
            return null;
        }
        ByteWriter out = new ByteWriter(16 * count);
        out.putVarInt(count);
        for (int i = 0; i < count; i++) {
            out.putVarInt(keys[i]);
            Values.write(out, values[i]);
        }
        return out.toByteArray();
    }

    /** Returns the value for {@code key}, or null. */
    static Object get(byte[] block, int key) {
        if (block == null || key < 0) {
            return null;
        }
        ByteReader in = new ByteReader(ByteBuffer.wrap(block));
        int count = in.getVarInt();
        for (int i = 0; i < count; i++) {
            int k = in.getVarInt();
            Object value = Values.read(in);
            if (k == key) {
                return value;
            }
            if (k > key) {
                return null;
            }
        }
        return null;
    }

    /** Where a block's properties lie: key ids ascending, and the bytes each takes (key id and value). */
    record Layout(int[] keys, int[] bytes) {
        static final Layout EMPTY = new Layout(new int[0], new int[0]);
    }

    /** The layout of a block, read without decoding the values. */
    static Layout layout(byte[] block) {
        if (block == null) {
            return Layout.EMPTY;
        }
        ByteReader in = new ByteReader(ByteBuffer.wrap(block));
        int count = in.getVarInt();
        int[] keys = new int[count];
        int[] bytes = new int[count];
        for (int i = 0; i < count; i++) {
            int start = in.position();
            keys[i] = in.getVarInt();
            Values.skip(in);
            bytes[i] = in.position() - start;
        }
        return new Layout(keys, bytes);
    }

    /** Receives a block's properties. */
    interface Visitor {
        void property(int key, Object value);
    }

    /** Calls {@code visitor} with each property of {@code block}, in key-id order. */
    static void forEach(byte[] block, Visitor visitor) {
        if (block == null) {
            return;
        }
        ByteReader in = new ByteReader(ByteBuffer.wrap(block));
        int count = in.getVarInt();
        for (int i = 0; i < count; i++) {
            int key = in.getVarInt();
            visitor.property(key, Values.read(in));
        }
    }

    /** Decodes to a map of names to exported (caller-owned) values. */
    static Map<String, Object> toMap(byte[] block, Symbols symbols) {
        Map<String, Object> map = new LinkedHashMap<>();
        if (block == null) {
            return map;
        }
        ByteReader in = new ByteReader(ByteBuffer.wrap(block));
        int count = in.getVarInt();
        for (int i = 0; i < count; i++) {
            int key = in.getVarInt();
            map.put(symbols.name(key), Values.read(in));
        }
        return map;
    }
}
