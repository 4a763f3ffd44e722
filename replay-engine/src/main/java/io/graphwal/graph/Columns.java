package io.graphwal.graph;

import java.util.Arrays;

/**
 * Chunked primitive columns indexed by entity id, with copy-on-write freezing for checkpoints.
 *
 * <p>A column is an array of fixed-size chunks, grown by whole chunks, so growing never copies the data
 * and a chunk is the unit of sharing. {@code freeze()} hands out the current chunk table; from then on the
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
            return chunk < chunks.length ? chunks[chunk][offset(id)] : fill;
        }

        void set(long id, long value) {
            writable(chunkIndex(id))[offset(id)] = value;
        }

        private long[] writable(int chunk) {
            if (chunk >= chunks.length) {
                int old = chunks.length;
                chunks = Arrays.copyOf(chunks, Math.max(chunk + 1, old + (old >> 1)));
                for (int i = old; i < chunks.length; i++) {
                    long[] fresh = new long[CHUNK];
                    if (fill != 0) {
                        Arrays.fill(fresh, fill);
                    }
                    chunks[i] = fresh;
                }
            }
            long[] current = chunks[chunk];
            if (frozen != null && chunk < frozen.length && frozen[chunk] == current) {
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
            return chunk < chunks.length ? chunks[chunk][offset(id)] : 0;
        }

        void set(long id, int value) {
            writable(chunkIndex(id))[offset(id)] = value;
        }

        private int[] writable(int chunk) {
            if (chunk >= chunks.length) {
                int old = chunks.length;
                chunks = Arrays.copyOf(chunks, Math.max(chunk + 1, old + (old >> 1)));
                for (int i = old; i < chunks.length; i++) {
                    chunks[i] = new int[CHUNK];
                }
            }
            int[] current = chunks[chunk];
            if (frozen != null && chunk < frozen.length && frozen[chunk] == current) {
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
            return chunk < chunks.length ? chunks[chunk][offset(id)] : null;
        }

        void set(long id, byte[] value) {
            writable(chunkIndex(id))[offset(id)] = value;
        }

        private byte[][] writable(int chunk) {
            if (chunk >= chunks.length) {
                int old = chunks.length;
                chunks = Arrays.copyOf(chunks, Math.max(chunk + 1, old + (old >> 1)));
                for (int i = old; i < chunks.length; i++) {
                    chunks[i] = new byte[CHUNK][];
                }
            }
            byte[][] current = chunks[chunk];
            if (frozen != null && chunk < frozen.length && frozen[chunk] == current) {
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
