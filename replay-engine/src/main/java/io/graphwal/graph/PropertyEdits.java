package io.graphwal.graph;

import java.nio.ByteBuffer;
import java.util.Arrays;

import com.carrotsearch.hppc.IntIntHashMap;

/**
 * The property changes one transaction makes to one entity, gathered while the transaction is applied and
 * merged into the entity's property block once, so that applying a transaction costs time linear in its size.
 * Rebuilding the block for every change made a transaction setting n properties on one entity cost n block
 * encodings of up to n properties each, seconds under the store lock for a few tens of thousands.
 *
 * <p>A change refers to its encoded value where it lies in the transaction's payload (the block's encoding of a
 * value is the log's), so nothing is decoded to be gathered; the last change of a key wins. Used by one
 * {@link TransactionApplier}, under the store's write lock.
 */
final class PropertyEdits {

    private static final long REMOVED = -1;

    /** Key id to its slot in {@link #keys} and {@link #values}. */
    private final IntIntHashMap slots = new IntIntHashMap();
    private int[] keys = new int[4];
    /** Per slot, the value's start and end in the payload ({@code start << 32 | end}), or {@link #REMOVED}. */
    private long[] values = new long[4];
    private int count;

    void set(int key, int valueStart, int valueEnd) {
        put(key, ((long) valueStart << 32) | (valueEnd & 0xFFFF_FFFFL));
    }

    void remove(int key) {
        put(key, REMOVED);
    }

    private void put(int key, long value) {
        int index = slots.indexOf(key);
        if (slots.indexExists(index)) {
            values[slots.indexGet(index)] = value;
            return;
        }
        if (count == keys.length) {
            keys = Arrays.copyOf(keys, count * 2);
            values = Arrays.copyOf(values, count * 2);
        }
        keys[count] = key;
        values[count] = value;
        slots.indexInsert(index, key, count++);
    }

    /** The key ids changed, in no particular order. */
    int[] changedKeys() {
        return Arrays.copyOf(keys, count);
    }

    /**
     * Returns {@code block} with these changes made, reading the changed values from {@code payload}: a merge of
     * the block's entries and the changes, both in key order. Null if no property is left.
     */
    byte[] applyTo(byte[] block, ByteBuffer payload) {
        long[] changes = new long[count];
        for (int i = 0; i < count; i++) {
            changes[i] = ((long) keys[i] << 32) | i;
        }
        Arrays.sort(changes);
        ByteReader in = block == null ? null : new ByteReader(ByteBuffer.wrap(block));
        int existing = in == null ? 0 : in.getVarInt();
        // Entries kept from the block and taken from the changes, as {key, source, start, end} with source 0
        // for the block and 1 for the payload.
        int[] entryKeys = new int[existing + count];
        byte[] entrySources = new byte[existing + count];
        int[] entryStarts = new int[existing + count];
        int[] entryEnds = new int[existing + count];
        int entries = 0;
        int change = 0;
        for (int i = 0; i <= existing; i++) {
            int key = Integer.MAX_VALUE;
            int start = 0;
            if (i < existing) {
                key = in.getVarInt();
                start = in.position();
                Values.skip(in);
            }
            while (change < count && (int) (changes[change] >>> 32) <= key) {
                int slot = (int) changes[change];
                change++;
                if (keys[slot] == key) {
                    key = Integer.MIN_VALUE; // replaced or removed: the block's entry is dropped
                }
                long value = values[slot];
                if (value != REMOVED) {
                    entryKeys[entries] = keys[slot];
                    entrySources[entries] = 1;
                    entryStarts[entries] = (int) (value >>> 32);
                    entryEnds[entries++] = (int) value;
                }
            }
            if (i < existing && key != Integer.MIN_VALUE) {
                entryKeys[entries] = key;
                entrySources[entries] = 0;
                entryStarts[entries] = start;
                entryEnds[entries++] = in.position();
            }
        }
        if (entries == 0) {
            return null;
        }
        long size = ByteWriter.varIntSize(entries);
        for (int i = 0; i < entries; i++) {
            size += ByteWriter.varIntSize(entryKeys[i]) + entryEnds[i] - entryStarts[i];
        }
        if (size > Integer.MAX_VALUE - 16) {
            throw new IllegalStateException("the properties of one entity would take " + size + " bytes");
        }
        byte[] merged = new byte[(int) size];
        int at = ByteWriter.putVarInt(merged, 0, entries);
        for (int i = 0; i < entries; i++) {
            at = ByteWriter.putVarInt(merged, at, entryKeys[i]);
            int length = entryEnds[i] - entryStarts[i];
            if (entrySources[i] == 0) {
                System.arraycopy(block, entryStarts[i], merged, at, length);
            } else {
                payload.get(entryStarts[i], merged, at, length);
            }
            at += length;
        }
        return merged;
    }
}
