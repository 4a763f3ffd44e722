package io.graphwal.graph;

import java.util.Arrays;

/**
 * Builds the relationship lists of one direction (every node's outgoing, or every node's incoming, list) in
 * bulk from the relationship columns, as loading a snapshot needs.
 *
 * <p>Linking relationships one at a time, as transactions do, writes the back link of the list's old head:
 * a random write into the relationship columns for every relationship, which made that loop the bulk of a
 * snapshot load. Here two passes over the relationships touch only node-sized arrays at random: ascending
 * ids thread each node's {@code next} links (newest first, the order transactions build) and leave the heads,
 * and descending ids thread the {@code prev} links. The outgoing and incoming lists share nothing, so a load
 * builds them on two threads. The first pass also finds relationships whose node is missing, which the
 * list heads of ids that are no node reveal without another random read. An instance is used by one thread.
 */
final class ListBuilder {

    private final int[][] types;
    private final long[][] ends;
    private final long nextRelationship;
    private final int[][] labels;
    private final long nextNode;
    long[][] heads;
    long[][] next;
    long[][] prev;

    /**
     * @param types the relationship type column (0 where there is no relationship)
     * @param ends the start column for outgoing lists, the end column for incoming ones
     * @param labels the node label column (0 where there is no node), which decides the heads of ids that
     *     are no node ({@link GraphStore#NO_NODE})
     */
    ListBuilder(int[][] types, long[][] ends, long nextRelationship, int[][] labels, long nextNode) {
        this.types = types;
        this.ends = ends;
        this.nextRelationship = nextRelationship;
        this.labels = labels;
        this.nextNode = nextNode;
    }

    /**
     * Builds the lists.
     *
     * @return -1, or the id of the first relationship whose node here is no live node (the lists are then
     *     incomplete and must not be used)
     */
    long build() {
        heads = filled(nextNode);
        for (int c = 0; c < heads.length; c++) {
            for (int o = 0; o < Columns.CHUNK; o++) {
                if (labels[c][o] == 0) {
                    heads[c][o] = GraphStore.NO_NODE;
                }
            }
        }
        next = filled(nextRelationship);
        prev = filled(nextRelationship);
        for (long id = 0; id < nextRelationship; id++) {
            int c = Columns.chunkIndex(id);
            int o = Columns.offset(id);
            if (types[c][o] != 0) {
                long node = ends[c][o];
                if (node < 0 || node >= nextNode) {
                    return id;
                }
                long[] head = heads[Columns.chunkIndex(node)];
                int at = Columns.offset(node);
                if (head[at] == GraphStore.NO_NODE) {
                    return id;
                }
                next[c][o] = head[at];
                head[at] = id;
            }
        }
        long[][] newer = filled(nextNode);
        for (long id = nextRelationship - 1; id >= 0; id--) {
            int c = Columns.chunkIndex(id);
            int o = Columns.offset(id);
            if (types[c][o] != 0) {
                long node = ends[c][o];
                long[] newest = newer[Columns.chunkIndex(node)];
                int at = Columns.offset(node);
                prev[c][o] = newest[at];
                newest[at] = id;
            }
        }
        return -1;
    }

    /** Chunks covering {@code count} ids, every slot -1 (no relationship). */
    private static long[][] filled(long count) {
        long[][] chunks = new long[(int) ((count + Columns.CHUNK - 1) >>> Columns.SHIFT)][];
        for (int c = 0; c < chunks.length; c++) {
            chunks[c] = new long[Columns.CHUNK];
            Arrays.fill(chunks[c], -1);
        }
        return chunks;
    }
}
