package io.graphwal.graph;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A frozen, copy-on-write view of the store at one LSN, written out as an image body while the live store
 * keeps changing.
 *
 * <p>{@link Graph#freeze()} takes it under the store's write lock, which costs a copy of each column's chunk
 * table (a few kilobytes per million entities) and of the small symbol tables. Until {@link #close()},
 * the store copies a chunk the first time a transaction writes to it, so this view never changes; a commit
 * that touches a frozen chunk pays for one 16 to 32 KB array copy, once per checkpoint. Only the columns the
 * snapshot needs are frozen: adjacency links and indexes are rebuilt when a snapshot is loaded.
 *
 * <p>Body layout (all through an {@link ImageOutput}): int version; longs LSN, next node id, next
 * relationship id, node count, relationship count; symbols; label sets; index definitions; node label
 * chunks, then each live node's property block; relationship type, start and end chunks, then each live
 * relationship's property block.
 */
public final class StoreImage implements AutoCloseable {

    static final int BODY_VERSION = 1;
    /**
     * The cap on a symbol's or property block's length when reading: none but the bytes left in the file, so
     * whatever a writer of any version stored is read back. Writers are held to {@link GraphLimits}.
     */
    private static final int ANY_LENGTH = Integer.MAX_VALUE;

    private final Graph graph;
    private final long lsn;
    private final long nextNodeId;
    private final long nextRelationshipId;
    private final long nodeCount;
    private final long relationshipCount;
    private final List<String> symbols;
    private final List<int[]> labelSets;
    /** Each live label-set id of the store to its id in the snapshot. */
    private final int[] labelSetIds;
    private final List<long[]> indexes;
    private final int[][] nodeLabels;
    private final byte[][][] nodeProperties;
    private final int[][] relTypes;
    private final long[][] relStart;
    private final long[][] relEnd;
    private final byte[][][] relProperties;
    private boolean closed;

    StoreImage(Graph graph, GraphStore store) {
        this.graph = graph;
        this.lsn = store.appliedLsn;
        this.nextNodeId = store.nextNodeId;
        this.nextRelationshipId = store.nextRelationshipId;
        this.nodeCount = store.nodeCount;
        this.relationshipCount = store.relationshipCount;
        this.symbols = new ArrayList<>(store.symbols.size());
        for (int i = 0; i < store.symbols.size(); i++) {
            symbols.add(store.symbols.name(i));
        }
        // Freed ids are left out and the rest numbered densely, as a loaded store numbers them.
        this.labelSets = new ArrayList<>(store.labelSets.live());
        this.labelSetIds = new int[store.labelSets.size()];
        for (int i = 0; i < store.labelSets.size(); i++) {
            int[] set = store.labelSets.labels(i);
            if (set != null) {
                labelSetIds[i] = labelSets.size();
                labelSets.add(set);
            }
        }
        this.indexes = store.indexKeys();
        this.nodeLabels = store.nodeLabels.freeze();
        this.nodeProperties = store.nodeProperties.freeze();
        this.relTypes = store.relTypes.freeze();
        this.relStart = store.relStart.freeze();
        this.relEnd = store.relEnd.freeze();
        this.relProperties = store.relProperties.freeze();
    }

    /**
     * Returns the LSN of the last transaction this image includes.
     *
     * @return the LSN
     */
    public long lsn() {
        return lsn;
    }

    /**
     * Returns how many nodes the image holds.
     *
     * @return the count
     */
    public long nodeCount() {
        return nodeCount;
    }

    /**
     * Returns how many relationships the image holds.
     *
     * @return the count
     */
    public long relationshipCount() {
        return relationshipCount;
    }

    /**
     * Streams the image as an image body. Safe to call from any thread while the graph is in use.
     *
     * @param out the snapshot body
     * @throws IOException if writing fails
     */
    public void writeTo(ImageOutput out) throws IOException {
        out.writeInt(BODY_VERSION);
        out.writeLong(lsn);
        out.writeLong(nextNodeId);
        out.writeLong(nextRelationshipId);
        out.writeLong(nodeCount);
        out.writeLong(relationshipCount);
        out.writeInt(symbols.size());
        for (String symbol : symbols) {
            out.writeBytes(symbol.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        out.writeInt(labelSets.size());
        for (int[] set : labelSets) {
            out.writeInt(set.length);
            out.writeInts(set, 0, set.length);
        }
        out.writeInt(indexes.size());
        for (long[] index : indexes) {
            out.writeInt((int) index[0]);
            out.writeInt((int) index[1]);
        }
        int nodeChunks = chunks(nextNodeId);
        int[] renumbered = new int[Columns.CHUNK];
        for (int c = 0; c < nodeChunks; c++) {
            int[] labels = chunk(nodeLabels, c);
            for (int i = 0; i < Columns.CHUNK; i++) {
                renumbered[i] = labels[i] == 0 ? 0 : labelSetIds[labels[i] - 1] + 1;
            }
            out.writeInts(renumbered, 0, Columns.CHUNK);
        }
        for (long id = 0; id < nextNodeId; id++) {
            if (get(nodeLabels, id) != 0) {
                out.writeBytes(get(nodeProperties, id));
            }
        }
        int relChunks = chunks(nextRelationshipId);
        for (int c = 0; c < relChunks; c++) {
            out.writeInts(chunk(relTypes, c), 0, Columns.CHUNK);
            out.writeLongs(chunk(relStart, c), 0, Columns.CHUNK);
            out.writeLongs(chunk(relEnd, c), 0, Columns.CHUNK);
        }
        for (long id = 0; id < nextRelationshipId; id++) {
            if (get(relTypes, id) != 0) {
                out.writeBytes(get(relProperties, id));
            }
        }
    }

    private static int chunks(long count) {
        return (int) ((count + Columns.CHUNK - 1) >>> Columns.SHIFT);
    }

    private static int get(int[][] chunks, long id) {
        int c = Columns.chunkIndex(id);
        return c < chunks.length && chunks[c] != null ? chunks[c][Columns.offset(id)] : 0;
    }

    private static byte[] get(byte[][][] chunks, long id) {
        int c = Columns.chunkIndex(id);
        return c < chunks.length && chunks[c] != null ? chunks[c][Columns.offset(id)] : null;
    }

    /** A chunk of a frozen column; a chunk never written (absent or null) is all zeros. */
    private static int[] chunk(int[][] chunks, int c) {
        return c < chunks.length && chunks[c] != null ? chunks[c] : new int[Columns.CHUNK];
    }

    private static long[] chunk(long[][] chunks, int c) {
        return c < chunks.length && chunks[c] != null ? chunks[c] : new long[Columns.CHUNK];
    }

    /** Ends copy-on-write: the live store stops copying chunks for this image. Idempotent. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            graph.thaw();
        }
    }

    /**
     * Reads a snapshot body into a new store, rebuilding adjacency lists and indexes.
     *
     * @param in the snapshot body
     * @return the store, at the snapshot's LSN
     * @throws IOException if the body is damaged or cannot be read
     */
    public static GraphStore read(ImageInput in) throws IOException {
        return read(in, true);
    }

    /**
     * Checks a snapshot body by every rule {@link #read} applies, without building the store: property blocks
     * are skipped rather than kept, and relationships' endpoints are checked against the nodes rather than
     * threaded into lists, so it needs about four bytes per node and relationship instead of a second graph.
     * A checkpoint runs it on the snapshot it has just written before it lets the log behind it be purged.
     *
     * @param in the snapshot body
     * @return the LSN the body is at
     * @throws IOException if the body is damaged or cannot be read
     */
    public static long verify(ImageInput in) throws IOException {
        return read(in, false).appliedLsn();
    }

    /** Reads a body; without {@code build} it only checks it and returns a store with the LSN alone. */
    private static GraphStore read(ImageInput in, boolean build) throws IOException {
        int version = in.readInt();
        if (version != BODY_VERSION) {
            throw in.corrupt("unsupported snapshot body version " + version);
        }
        GraphStore store = new GraphStore();
        long lsn = in.readLong();
        long nextNode = in.readLong();
        long nextRel = in.readLong();
        long nodes = in.readLong();
        long rels = in.readLong();
        if (lsn < 0 || nextNode < 0 || nextRel < 0 || nodes < 0 || rels < 0 || nodes > nextNode || rels > nextRel
                || chunks(nextNode) < 0 || chunks(nextRel) < 0 || nextNode > Integer.MAX_VALUE * (long) Columns.CHUNK
                || nextRel > Integer.MAX_VALUE * (long) Columns.CHUNK) {
            throw in.corrupt("impossible counts: lsn " + lsn + ", next ids " + nextNode + "/" + nextRel + ", counts "
                    + nodes + "/" + rels);
        }
        int symbolCount = in.readInt();
        if (symbolCount < 0) {
            throw in.corrupt("negative symbol count");
        }
        for (int i = 0; i < symbolCount; i++) {
            byte[] utf8 = in.readBytes(ANY_LENGTH);
            if (utf8 == null || store.symbols.intern(new String(utf8, java.nio.charset.StandardCharsets.UTF_8)) != i) {
                throw in.corrupt("symbol " + i + " is missing or repeated");
            }
        }
        int setCount = in.readInt();
        if (setCount < 1) {
            throw in.corrupt("label set table is empty");
        }
        for (int i = 0; i < setCount; i++) {
            int size = in.readInt();
            if (size < 0 || size > symbolCount) {
                throw in.corrupt("label set " + i + " has impossible size " + size);
            }
            int[] set = new int[size];
            in.readInts(set, 0, size);
            for (int j = 0; j < size; j++) {
                if (set[j] < 0 || set[j] >= symbolCount || (j > 0 && set[j] <= set[j - 1])) {
                    throw in.corrupt("label set " + i + " is not a sorted set of known labels");
                }
            }
            if (store.labelSets.intern(set) != i) {
                throw in.corrupt("label set " + i + " is repeated");
            }
        }
        int indexCount = in.readInt();
        if (indexCount < 0) {
            throw in.corrupt("negative index count");
        }
        List<long[]> definitions = new ArrayList<>();
        for (int i = 0; i < indexCount; i++) {
            int label = in.readInt();
            int key = in.readInt();
            if (label < 0 || label >= symbolCount || key < 0 || key >= symbolCount) {
                throw in.corrupt("index " + i + " names unknown symbols");
            }
            definitions.add(new long[] {label, key});
        }
        int nodeChunks = chunks(nextNode);
        // Every chunk is stored whole (an int per node; an int and two longs per relationship): counts that
        // the file cannot hold are refused before anything is allocated for them.
        if (nodeChunks * (long) Columns.CHUNK * Integer.BYTES
                + chunks(nextRel) * (long) Columns.CHUNK * (Integer.BYTES + 2 * Long.BYTES) > in.bytesLeft()) {
            throw in.corrupt("next ids " + nextNode + "/" + nextRel + " need more bytes than the file holds");
        }
        int[][] labels = new int[nodeChunks][];
        for (int c = 0; c < nodeChunks; c++) {
            labels[c] = new int[Columns.CHUNK];
            in.readInts(labels[c], 0, Columns.CHUNK);
        }
        byte[][][] nodeBlocks = build ? new byte[nodeChunks][][] : null;
        long liveNodes = 0;
        for (long id = 0; id < nextNode; id++) {
            int c = Columns.chunkIndex(id);
            if (build && nodeBlocks[c] == null) {
                nodeBlocks[c] = new byte[Columns.CHUNK][];
            }
            int label = labels[c][Columns.offset(id)];
            if (label == 0) {
                continue;
            }
            if (label < 0 || label > setCount) {
                throw in.corrupt("node " + id + " has unknown label set " + (label - 1));
            }
            if (build) {
                nodeBlocks[c][Columns.offset(id)] = in.readBytes(ANY_LENGTH);
            } else {
                in.skipBytes(ANY_LENGTH);
            }
            liveNodes++;
        }
        if (liveNodes != nodes) {
            throw in.corrupt("node count " + nodes + " but " + liveNodes + " live nodes");
        }
        int relChunks = chunks(nextRel);
        int[][] types = new int[relChunks][];
        long[][] starts = build ? new long[relChunks][] : null;
        long[][] ends = build ? new long[relChunks][] : null;
        long[] scratchStarts = build ? null : new long[Columns.CHUNK];
        long[] scratchEnds = build ? null : new long[Columns.CHUNK];
        for (int c = 0; c < relChunks; c++) {
            types[c] = new int[Columns.CHUNK];
            long[] chunkStarts = build ? (starts[c] = new long[Columns.CHUNK]) : scratchStarts;
            long[] chunkEnds = build ? (ends[c] = new long[Columns.CHUNK]) : scratchEnds;
            in.readInts(types[c], 0, Columns.CHUNK);
            in.readLongs(chunkStarts, 0, Columns.CHUNK);
            in.readLongs(chunkEnds, 0, Columns.CHUNK);
            if (!build) {
                // What building the lists checks: each live relationship joins two live nodes.
                for (int i = 0; i < Columns.CHUNK; i++) {
                    if (types[c][i] != 0 && (!liveNode(labels, nextNode, chunkStarts[i])
                            || !liveNode(labels, nextNode, chunkEnds[i]))) {
                        throw in.corrupt("the body does not form a graph: relationship "
                                + ((long) c * Columns.CHUNK + i) + " has a missing endpoint");
                    }
                }
            }
        }
        byte[][][] relBlocks = build ? new byte[relChunks][][] : null;
        long liveRels = 0;
        for (long id = 0; id < nextRel; id++) {
            int c = Columns.chunkIndex(id);
            if (build && relBlocks[c] == null) {
                relBlocks[c] = new byte[Columns.CHUNK][];
            }
            int type = types[c][Columns.offset(id)];
            if (type == 0) {
                continue;
            }
            if (type < 0 || type > symbolCount) {
                throw in.corrupt("relationship " + id + " has unknown type " + (type - 1));
            }
            if (build) {
                relBlocks[c][Columns.offset(id)] = in.readBytes(ANY_LENGTH);
            } else {
                in.skipBytes(ANY_LENGTH);
            }
            liveRels++;
        }
        if (liveRels != rels) {
            throw in.corrupt("relationship count " + rels + " but " + liveRels + " live relationships");
        }
        if (!build) {
            // As loading does: it counts every live slot of the chunks, past the next id too.
            long slots = 0;
            for (int[] chunk : types) {
                for (int type : chunk) {
                    slots += type != 0 ? 1 : 0;
                }
            }
            if (slots != rels) {
                throw in.corrupt("the body does not form a graph: snapshot says " + rels + " relationships but holds "
                        + slots);
            }
            GraphStore checked = new GraphStore();
            checked.appliedLsn = lsn;
            return checked;
        }
        try {
            // Endpoints are checked while the relationship lists are built, which reads their heads anyway.
            store.load(lsn, nextNode, nextRel, nodes, rels, labels, nodeBlocks, types, starts, ends, relBlocks,
                    definitions);
        } catch (IllegalStateException | MalformedDataException e) {
            // Anything else the store finds inconsistent is damage to this file too, and is reported as such.
            throw in.corrupt("the body does not form a graph: " + e.getMessage());
        }
        return store;
    }

    private static boolean liveNode(int[][] labels, long nextNode, long id) {
        return id >= 0 && id < nextNode && labels[Columns.chunkIndex(id)][Columns.offset(id)] != 0;
    }
}
