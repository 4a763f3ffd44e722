package io.graphwal.graph;

import java.util.Arrays;

/**
 * Chunked primitive columns indexed by entity id, with copy-on-write freezing for checkpoints.
 *
 * <p>A column is an array of fixed-size chunks, grown by whole chunks, so growing never copies the data
 * and a chunk is the unit of sharing. A chunk is allocated when first written (a null chunk reads as the
 * column's default), so the table's spare capacity costs a reference per chunk, not a chunk. {@code freeze()} hands out the current chunk table; from then on the
 * first write to a chunk that the frozen table still shares replaces it in the live table with a copy, so the
 * frozen view never changes while a checkpoint streams it out, and the live store pays one chunk copy per
 * chunk it touches during the checkpoint. {@code thaw()} ends sharing. All mutation happens under the
 * store's write lock; frozen tables are read by the checkpoint thread without locks because nothing writes
 * to them any more.
 */
final class Columns {

    static final int SHIFT = 12;
    static final int CHUNK = 1 << SHIFT;
    static final int MASK = CHUNK - 1;

    private Columns() {
    }

    static int chunkIndex(long id) {
        return (int) (id >>> SHIFT);
    }

    static int offset(long id) {
        return (int) (id & MASK);
    }

    /** The new length of a chunk table that must reach {@code chunk}: the table grows by half, its chunks only when written. */
    private static int grown(int length, int chunk) {
        return Math.max(chunk + 1, length + (length >> 1));
    }

    /** A column of longs with a default value for never-written slots. */
    static final class Longs {
        private final long fill;
        private long[][] chunks = new long[0][];
        private long[][] frozen;

        Longs(long fill) {
            this.fill = fill;
        }

        long get(long id) {
            int chunk = chunkIndex(id);
            long[] values = chunk < chunks.length ? chunks[chunk] : null;
            return values == null ? fill : values[offset(id)];
        }

        void set(long id, long value) {
            writable(chunkIndex(id))[offset(id)] = value;
        }

        private long[] writable(int chunk) {
            if (chunk >= chunks.length) {
                chunks = Arrays.copyOf(chunks, grown(chunks.length, chunk));
            }
            long[] current = chunks[chunk];
            if (current == null) {
                current = new long[CHUNK];
                if (fill != 0) {
                    Arrays.fill(current, fill);
                }
                chunks[chunk] = current;
            } else if (frozen != null && chunk < frozen.length && frozen[chunk] == current) {
                current = current.clone();
                chunks[chunk] = current;
            }
            return current;
        }

        long[][] freeze() {
            frozen = chunks.clone();
            return frozen;
        }

        void thaw() {
            frozen = null;
        }

        /** Installs chunks read from a snapshot. */
        void load(long[][] loaded) {
            chunks = loaded;
            frozen = null;
        }
    }

    /** A column of ints. */
    static final class Ints {
        private int[][] chunks = new int[0][];
        private int[][] frozen;

        int get(long id) {
            int chunk = chunkIndex(id);
            int[] values = chunk < chunks.length ? chunks[chunk] : null;
            return values == null ? 0 : values[offset(id)];
        }

        void set(long id, int value) {
            writable(chunkIndex(id))[offset(id)] = value;
        }

        private int[] writable(int chunk) {
            if (chunk >= chunks.length) {
                chunks = Arrays.copyOf(chunks, grown(chunks.length, chunk));
            }
            int[] current = chunks[chunk];
            if (current == null) {
                current = new int[CHUNK];
                chunks[chunk] = current;
            } else if (frozen != null && chunk < frozen.length && frozen[chunk] == current) {
                current = current.clone();
                chunks[chunk] = current;
            }
            return current;
        }

        int[][] freeze() {
            frozen = chunks.clone();
            return frozen;
        }

        void thaw() {
            frozen = null;
        }

        void load(int[][] loaded) {
            chunks = loaded;
            frozen = null;
        }
    }

    /** A column of references to immutable byte arrays (property blocks); null is "none". */
    static final class Blocks {
        private byte[][][] chunks = new byte[0][][];
        private byte[][][] frozen;

        byte[] get(long id) {
            int chunk = chunkIndex(id);
            byte[][] values = chunk < chunks.length ? chunks[chunk] : null;
            return values == null ? null : values[offset(id)];
        }

        void set(long id, byte[] value) {
            writable(chunkIndex(id))[offset(id)] = value;
        }

        private byte[][] writable(int chunk) {
            if (chunk >= chunks.length) {
                chunks = Arrays.copyOf(chunks, grown(chunks.length, chunk));
            }
            byte[][] current = chunks[chunk];
            if (current == null) {
                current = new byte[CHUNK][];
                chunks[chunk] = current;
            } else if (frozen != null && chunk < frozen.length && frozen[chunk] == current) {
                current = current.clone();
                chunks[chunk] = current;
            }
            return current;
        }

        byte[][][] freeze() {
            frozen = chunks.clone();
            return frozen;
        }

        void thaw() {
            frozen = null;
        }

        void load(byte[][][] loaded) {
            chunks = loaded;
            frozen = null;
        }
    }
}
