package io.graphwal.graph;

import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An entity's properties packed into one immutable byte array: varint count, then (varint key id, tagged
 * value) pairs in key-id order. Small properties cost a few bytes each instead of a map entry, a boxed value
 * and a string reference. Changing a property builds a new block; readers holding the old one are unaffected.
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

    /** Returns a block with {@code key} set to {@code value}, or removed if {@code value} is null. */
    static byte[] with(byte[] block, int key, Object value) {
        int existing = 0;
        ByteReader in = null;
        if (block != null) {
            in = new ByteReader(ByteBuffer.wrap(block));
            existing = in.getVarInt();
        }
        int[] keys = new int[existing + 1];
        Object[] values = new Object[existing + 1];
        int count = 0;
        boolean placed = false;
        for (int i = 0; i < existing; i++) {
            int k = in.getVarInt();
            Object v = Values.read(in);
            if (!placed && k >= key) {
                placed = true;
                if (value != null) {
                    keys[count] = key;
                    values[count++] = value;
                }
                if (k == key) {
                    continue;
                }
            }
            keys[count] = k;
            values[count++] = v;
        }
        if (!placed && value != null) {
            keys[count] = key;
            values[count++] = value;
        }
        return encode(keys, values, count);
    }
}
