package io.graphwal.graph;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Remembers recently decoded short strings by their UTF-8 bytes, so that decoding the same label, type or
 * key again (which is what replay does millions of times) returns the same {@code String}, with its hash
 * already computed, instead of allocating, copying and hashing a new one. Direct-mapped: a collision just
 * replaces the slot. One per thread; not thread-safe.
 */
final class StringCache {

    private static final int SLOTS = 512;
    private static final int MAX_LENGTH = 48;
    private static final ThreadLocal<StringCache> PER_THREAD = ThreadLocal.withInitial(StringCache::new);

    private final byte[][] keys = new byte[SLOTS][];
    private final String[] values = new String[SLOTS];

    static StringCache forThisThread() {
        return PER_THREAD.get();
    }

    /** Decodes {@code length} UTF-8 bytes at the buffer's position and moves past them. */
    String decode(ByteBuffer buffer, int length) {
        if (length > MAX_LENGTH) {
            byte[] utf8 = new byte[length];
            buffer.get(utf8);
            return new String(utf8, StandardCharsets.UTF_8);
        }
        int start = buffer.position();
        int hash = length;
        for (int i = 0; i < length; i++) {
            hash = 31 * hash + buffer.get(start + i);
        }
        int slot = (hash ^ (hash >>> 16)) & (SLOTS - 1);
        byte[] key = keys[slot];
        if (key != null && key.length == length && sameBytes(buffer, start, key)) {
            buffer.position(start + length);
            return values[slot];
        }
        byte[] utf8 = new byte[length];
        buffer.get(utf8);
        String value = new String(utf8, StandardCharsets.UTF_8);
        keys[slot] = utf8;
        values[slot] = value;
        return value;
    }

    private static boolean sameBytes(ByteBuffer buffer, int start, byte[] key) {
        for (int i = 0; i < key.length; i++) {
            if (buffer.get(start + i) != key[i]) {
                return false;
            }
        }
        return true;
    }
}
