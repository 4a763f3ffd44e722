package io.graphwal.graph;

import java.util.Arrays;

/**
 * Which nodes carry each label: per label, a bitset over node ids, cut into chunks of {@link Columns#CHUNK}
 * ids that are allocated when a node in their range first gets the label, plus a member count.
 *
 * <p>A hash set of ids cost 10 to 21 bytes per labelled node and a hash per insertion; a bit costs an eighth
 * of a byte where a label is dense, a chunk (512 bytes) per range of ids where it is sparse, and members come
 * out in ascending id order without sorting. Guarded like the store: written under its write lock, read
 * under its read lock.
 */
final class LabelIndex {

    private static final int WORDS = Columns.CHUNK / Long.SIZE;

    /** [label][chunk][word]; null where a label or a chunk has no members yet. */
    private long[][][] bits = new long[0][][];
    private long[] counts = new long[0];

    /** Adds {@code node} to {@code label}'s members; nothing if it is one already. */
    void add(int label, long node) {
        if (label >= bits.length) {
            int length = Math.max(label + 1, bits.length * 2);
            bits = Arrays.copyOf(bits, length);
            counts = Arrays.copyOf(counts, length);
        }
        long[][] chunks = bits[label];
        int chunk = Columns.chunkIndex(node);
        if (chunks == null || chunk >= chunks.length) {
            chunks = Arrays.copyOf(chunks == null ? new long[0][] : chunks,
                    Math.max(chunk + 1, chunks == null ? 0 : chunks.length + (chunks.length >> 1)));
            bits[label] = chunks;
        }
        long[] words = chunks[chunk];
        if (words == null) {
            words = new long[WORDS];
            chunks[chunk] = words;
        }
        int offset = Columns.offset(node);
        long bit = 1L << offset;
        if ((words[offset >>> 6] & bit) == 0) {
            words[offset >>> 6] |= bit;
            counts[label]++;
        }
    }

    /** Removes {@code node} from {@code label}'s members; nothing if it is not one. */
    void remove(int label, long node) {
        long[] words = words(label, node);
        int offset = Columns.offset(node);
        long bit = 1L << offset;
        if (words != null && (words[offset >>> 6] & bit) != 0) {
            words[offset >>> 6] &= ~bit;
            counts[label]--;
        }
    }

    /** How many nodes carry {@code label}. */
    long count(int label) {
        return label >= 0 && label < counts.length ? counts[label] : 0;
    }

    /** Ids of the nodes carrying {@code label}, ascending. */
    long[] members(int label) {
        long[] ids = new long[(int) count(label)];
        if (ids.length == 0) {
            return ids;
        }
        long[][] chunks = bits[label];
        int found = 0;
        for (int c = 0; c < chunks.length && found < ids.length; c++) {
            long[] words = chunks[c];
            if (words == null) {
                continue;
            }
            for (int w = 0; w < WORDS; w++) {
                long word = words[w];
                while (word != 0) {
                    ids[found++] = ((long) c << Columns.SHIFT) + (w << 6) + Long.numberOfTrailingZeros(word);
                    word &= word - 1;
                }
            }
        }
        return ids;
    }

    /** How many label ids may have members (labels at or above it have none). */
    int labelBound() {
        return counts.length;
    }

    private long[] words(int label, long node) {
        if (label < 0 || label >= bits.length || bits[label] == null) {
            return null;
        }
        int chunk = Columns.chunkIndex(node);
        return chunk < bits[label].length ? bits[label][chunk] : null;
    }
}
