package io.graphwal.graph;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.carrotsearch.hppc.IntLongHashMap;
import com.carrotsearch.hppc.LongArrayList;
import com.carrotsearch.hppc.LongHashSet;

import io.graphwal.concurrent.Threads;

/**
 * The in-memory property graph: columnar, laid out for memory, and mutated only by applying logged
 * {@link Mutation}s, so that the live store and a replayed one are built by the same code.
 *
 * <p><b>Layout.</b> Node and relationship ids index chunked primitive columns ({@link Columns}); nothing is
 * allocated per entity except a property block when it has properties. A node costs 24 bytes of columns (an
 * interned label-set id, a property-block reference, the heads of its outgoing and incoming relationship
 * lists) plus its property block (about 16 bytes of array header and a few bytes per small property) plus
 * its bit in the label index ({@link LabelIndex}). A relationship costs 56 bytes of columns (type id, block
 * reference, start, end, and previous/next links in both nodes' doubly linked lists, which make deletion
 * O(1)), plus its property block if any. Labels, types and keys are interned ({@link Symbols},
 * {@link LabelSets}). Transactions arrive in their logged form ({@link TransactionApplier}).
 *
 * <p><b>Threads.</b> Not thread-safe on its own: {@link Graph} applies mutations under its write lock and
 * reads under its read lock. {@code freeze()} gives a checkpoint a copy-on-write view that it may read from
 * another thread while the store keeps changing.
 */
public final class GraphStore {

    /** The list head of an id that is no node. */
    static final long NO_NODE = -2;

    final Symbols symbols = new Symbols();
    final LabelSets labelSets = new LabelSets();
    /** 0 for no node, else the label-set id + 1. */
    final Columns.Ints nodeLabels = new Columns.Ints();
    final Columns.Blocks nodeProperties = new Columns.Blocks();
    /**
     * Heads of each node's relationship lists: a relationship id, -1 for an empty list, {@link #NO_NODE}
     * where there is no node. Creating a relationship reads the heads anyway, so they also answer whether
     * its endpoints exist, sparing a random read of the label column per endpoint.
     */
    final Columns.Longs nodeFirstOut = new Columns.Longs(NO_NODE);
    final Columns.Longs nodeFirstIn = new Columns.Longs(NO_NODE);
    /** 0 for no relationship, else the type's symbol id + 1. */
    final Columns.Ints relTypes = new Columns.Ints();
    final Columns.Blocks relProperties = new Columns.Blocks();
    final Columns.Longs relStart = new Columns.Longs(-1);
    final Columns.Longs relEnd = new Columns.Longs(-1);
    final Columns.Longs relNextOut = new Columns.Longs(-1);
    final Columns.Longs relPrevOut = new Columns.Longs(-1);
    final Columns.Longs relNextIn = new Columns.Longs(-1);
    final Columns.Longs relPrevIn = new Columns.Longs(-1);

    long nextNodeId;
    long nextRelationshipId;
    long nodeCount;
    long relationshipCount;
    long appliedLsn;

    private final LabelIndex labelIndex = new LabelIndex();
    private final IntLongHashMap typeCounts = new IntLongHashMap();
    /** (label id << 32 | key id) to value key to node ids, in creation order. */
    private final Map<Long, Map<Object, LongHashSet>> propertyIndexes = new LinkedHashMap<>();
    private final TransactionApplier applier = new TransactionApplier(this);

    /** Creates an empty store. */
    public GraphStore() {
    }

    /**
     * Returns the LSN of the last transaction applied.
     *
     * @return the LSN, 0 for a store that has applied nothing
     */
    public long appliedLsn() {
        return appliedLsn;
    }

    /**
     * Applies one transaction. Used by tests and tools that hold mutations; it applies their logged form,
     * as {@link #apply(long, ByteBuffer)} does.
     *
     * @param lsn the transaction's LSN, which must be above every LSN applied before
     * @param mutations its mutations, with canonical values
     * @throws IllegalStateException if a mutation does not fit the store (the log and the store disagree)
     */
    public void apply(long lsn, List<Mutation> mutations) {
        apply(lsn, ByteBuffer.wrap(MutationCodec.encode(mutations)));
    }

    /**
     * Applies one logged transaction, as encoded by {@link MutationCodec}. Used by the live commit path and by
     * replay alike. If it throws, the mutations before the failing one stay applied: discard the store.
     *
     * @param lsn the transaction's LSN, which must be above every LSN applied before
     * @param payload the encoded transaction, read from its position to its limit
     * @throws IllegalStateException if a mutation does not fit the store (the log and the store disagree)
     * @throws MalformedDataException if the payload is not a transaction this version can read
     */
    public void apply(long lsn, ByteBuffer payload) {
        if (lsn <= appliedLsn) {
            throw new IllegalStateException("LSN " + lsn + " is not after the last applied LSN " + appliedLsn);
        }
        applier.apply(payload);
        appliedLsn = lsn;
    }

    // ---- existence ------------------------------------------------------------------------------------

    boolean nodeExists(long id) {
        return id >= 0 && id < nextNodeId && nodeLabels.get(id) != 0;
    }

    boolean relationshipExists(long id) {
        return id >= 0 && id < nextRelationshipId && relTypes.get(id) != 0;
    }

    // Callers build messages only on the failure path: these checks run for every replayed mutation.
    private static IllegalStateException missingNode(long id, String action) {
        return new IllegalStateException("cannot " + action + ": node " + id + " does not exist");
    }

    private static IllegalStateException missingRelationship(long id, String action) {
        return new IllegalStateException("cannot " + action + ": relationship " + id + " does not exist");
    }

    /** A node's ({@code node} true) or relationship's size, for a transaction's limit checks. */
    PendingLayer.EntitySize entitySize(boolean node, long id) {
        if (node ? !nodeExists(id) : !relationshipExists(id)) {
            return PendingLayer.EntitySize.NONE;
        }
        int[] labels = node ? labelSets.labels(nodeLabels.get(id) - 1) : new int[0];
        byte[] block = node ? nodeProperties.get(id) : relProperties.get(id);
        return new StoredSize(symbols, labels, PropertyBlock.layout(block), block == null ? 0 : block.length);
    }

    /** An entity's sorted label ids and property layout as the store holds them. */
    private record StoredSize(Symbols symbols, int[] labelIds, PropertyBlock.Layout layout, long propertyBytes)
            implements PendingLayer.EntitySize {
        @Override
        public int labels() {
            return labelIds.length;
        }

        @Override
        public boolean hasLabel(String label) {
            int id = symbols.find(label);
            return id >= 0 && Arrays.binarySearch(labelIds, id) >= 0;
        }

        @Override
        public int properties() {
            return layout.keys().length;
        }

        @Override
        public int propertyBytes(String key) {
            int id = symbols.find(key);
            int at = id < 0 ? -1 : Arrays.binarySearch(layout.keys(), id);
            return at < 0 ? -1 : layout.bytes()[at];
        }
    }

    // ---- mutations ------------------------------------------------------------------------------------

    /**
     * Ids at or above this are refused as invalid. No heap holds four billion entities, and without the bound
     * a corrupt but checksummed record naming a huge id would grow the column tables to match (or overflow
     * their chunk index) before anything noticed.
     */
    static final long MAX_ID = 1L << 32;

    void createNode(long id, int[] sortedLabels, int labelCount, byte[] block) {
        if (id < 0 || id >= MAX_ID || nodeExists(id)) {
            throw new IllegalStateException("cannot create node " + id + ": it exists or the id is invalid");
        }
        int set = labelSets.intern(sortedLabels, labelCount);
        labelSets.acquire(set);
        nodeLabels.set(id, set + 1);
        nodeProperties.set(id, block);
        nodeFirstOut.set(id, -1);
        nodeFirstIn.set(id, -1);
        nodeCount++;
        nextNodeId = Math.max(nextNodeId, id + 1);
        int[] labelIds = labelSets.labels(set);
        for (int label : labelIds) {
            labelIndex.add(label, id);
        }
        if (!propertyIndexes.isEmpty() && block != null) {
            PropertyBlock.forEach(block, (key, value) -> indexValue(labelIds, key, id, null, value));
        }
    }

    void createRelationship(long id, int typeId, long start, long end, byte[] block) {
        if (id < 0 || id >= MAX_ID || relationshipExists(id)) {
            throw new IllegalStateException("cannot create relationship " + id + ": it exists or the id is invalid");
        }
        if (start < 0 || start >= nextNodeId || nodeFirstOut.get(start) == NO_NODE) {
            throw missingNode(start, "create relationship " + id);
        }
        if (end < 0 || end >= nextNodeId || nodeFirstIn.get(end) == NO_NODE) {
            throw missingNode(end, "create relationship " + id);
        }
        relTypes.set(id, typeId + 1);
        relStart.set(id, start);
        relEnd.set(id, end);
        relProperties.set(id, block);
        link(id, start, end);
        relationshipCount++;
        nextRelationshipId = Math.max(nextRelationshipId, id + 1);
        typeCounts.addTo(typeId, 1);
    }

    /** Puts a relationship at the head of its start node's outgoing and its end node's incoming list. */
    private void link(long id, long start, long end) {
        pushFront(id, start, relPrevOut, relNextOut, nodeFirstOut);
        pushFront(id, end, relPrevIn, relNextIn, nodeFirstIn);
    }

    /** Inserts relationship {@code id} at the head of {@code node}'s list threaded through prev/next. */
    private static void pushFront(long id, long node, Columns.Longs prev, Columns.Longs next, Columns.Longs first) {
        long head = first.get(node);
        next.set(id, head);
        prev.set(id, -1);
        if (head >= 0) {
            prev.set(head, id);
        }
        first.set(node, id);
    }

    /** Removes relationship {@code id} from {@code node}'s list threaded through prev/next. */
    private static void unlink(long id, long node, Columns.Longs prev, Columns.Longs next, Columns.Longs first) {
        long before = prev.get(id);
        long after = next.get(id);
        if (before >= 0) {
            next.set(before, after);
        } else {
            first.set(node, after);
        }
        if (after >= 0) {
            prev.set(after, before);
        }
    }

    /**
     * Installs columns read from a snapshot and rebuilds what snapshots do not hold: the label index,
     * relationship lists (in the order transactions build them: newest first), type counts and property
     * indexes. The symbol and label-set tables must already be filled. The incoming lists are built on a second thread, named
     * {@code graphwal-snapshot-lists} and joined before this returns, while this one builds the rest.
     *
     * @throws IllegalStateException if a relationship's endpoint is no live node, or the counts disagree
     */
    void load(long lsn, long nextNode, long nextRel, long nodes, long rels, int[][] labels, byte[][][] nodeBlocks,
            int[][] types, long[][] starts, long[][] ends, byte[][][] relBlocks, List<long[]> indexes) {
        appliedLsn = lsn;
        nextNodeId = nextNode;
        nextRelationshipId = nextRel;
        nodeCount = nodes;
        nodeLabels.load(labels);
        nodeProperties.load(nodeBlocks);
        relTypes.load(types);
        relStart.load(starts);
        relEnd.load(ends);
        relProperties.load(relBlocks);
        ListBuilder incoming = new ListBuilder(types, ends, nextRel, labels, nextNode);
        Throwable[] helperFailure = new Throwable[1];
        long[] badIncoming = {-1};
        Thread helper = new Thread(() -> {
            try {
                badIncoming[0] = incoming.build();
            } catch (RuntimeException | Error e) {
                helperFailure[0] = e;
            }
        }, "graphwal-snapshot-lists");
        helper.setDaemon(true);
        helper.start();
        ListBuilder outgoing = new ListBuilder(types, starts, nextRel, labels, nextNode);
        long badOutgoing;
        try {
            badOutgoing = outgoing.build();
            for (long id = 0; id < nextNode; id++) {
                int set = nodeLabels.get(id);
                if (set != 0) {
                    labelSets.acquire(set - 1);
                    for (int label : labelSets.labels(set - 1)) {
                        labelIndex.add(label, id);
                    }
                }
            }
            // Snapshots written before sets were freed may hold sets no node uses.
            labelSets.freeUnused();
            relationshipCount = 0;
            for (int[] chunk : types) {
                for (int type : chunk) {
                    if (type != 0) {
                        typeCounts.addTo(type - 1, 1);
                        relationshipCount++;
                    }
                }
            }
        } finally {
            Threads.joinUninterruptibly(helper);
        }
        if (helperFailure[0] instanceof RuntimeException e) {
            throw e;
        }
        if (helperFailure[0] instanceof Error e) {
            throw e;
        }
        if (badOutgoing >= 0 || badIncoming[0] >= 0) {
            long bad = badOutgoing < 0 ? badIncoming[0] : badIncoming[0] < 0 ? badOutgoing
                    : Math.min(badOutgoing, badIncoming[0]);
            throw new IllegalStateException("relationship " + bad + " has a missing endpoint");
        }
        nodeFirstOut.load(outgoing.heads);
        relNextOut.load(outgoing.next);
        relPrevOut.load(outgoing.prev);
        nodeFirstIn.load(incoming.heads);
        relNextIn.load(incoming.next);
        relPrevIn.load(incoming.prev);
        if (relationshipCount != rels) {
            throw new IllegalStateException("snapshot says " + rels + " relationships but holds " + relationshipCount);
        }
        for (long[] index : indexes) {
            createIndex((int) index[0], (int) index[1]);
        }
    }

    /** The property indexes as {label id, key id} pairs, in creation order. */
    List<long[]> indexKeys() {
        List<long[]> keys = new ArrayList<>();
        for (long indexKey : propertyIndexes.keySet()) {
            keys.add(new long[] {indexKey >>> 32, (int) indexKey});
        }
        return keys;
    }

    /** The name of symbol {@code id}, or {@code unknown} (the name given for a symbol without an id). */
    private String name(int id, String unknown) {
        return id >= 0 ? symbols.name(id) : unknown;
    }

    /**
     * Checks that a node exists before a change to its property {@code keyId} is gathered; {@code keyId} is -1
     * only for removing a key that was never used, named then by {@code keyName}.
     */
    void checkNodeForProperty(long node, int keyId, String keyName) {
        if (!nodeExists(node)) {
            throw missingNode(node, "set property '" + name(keyId, keyName) + "'");
        }
    }

    /** Checks that a relationship exists before a property change to it is gathered; as for nodes. */
    void checkRelationshipForProperty(long relationship, int keyId, String keyName) {
        if (!relationshipExists(relationship)) {
            throw missingRelationship(relationship, "set property '" + name(keyId, keyName) + "'");
        }
    }

    /**
     * Makes one transaction's property changes to a node, reading the new values from {@code payload}, and
     * moves the node in every index on one of its labels and a changed key. Indexes created, and labels added
     * or removed, earlier in the same transaction saw the node's properties as they were before these
     * changes, which this moves them from, so the changes can wait until the end of the transaction.
     */
    void setNodeProperties(long node, PropertyEdits edits, ByteBuffer payload) {
        byte[] block = nodeProperties.get(node);
        byte[] merged = edits.applyTo(block, payload);
        if (Arrays.equals(block, merged)) {
            return;
        }
        if (!propertyIndexes.isEmpty()) {
            int[] labels = labelSets.labels(nodeLabels.get(node) - 1);
            for (int key : edits.changedKeys()) {
                if (indexed(labels, key)) {
                    Object old = PropertyBlock.get(block, key);
                    Object value = PropertyBlock.get(merged, key);
                    if (old != null || value != null) {
                        indexValue(labels, key, node, old, value);
                    }
                }
            }
        }
        nodeProperties.set(node, merged);
    }

    /** Makes one transaction's property changes to a relationship. */
    void setRelationshipProperties(long relationship, PropertyEdits edits, ByteBuffer payload) {
        byte[] block = relProperties.get(relationship);
        byte[] merged = edits.applyTo(block, payload);
        if (!Arrays.equals(block, merged)) {
            relProperties.set(relationship, merged);
        }
    }

    /** Whether an index exists on one of {@code labels} and {@code key}. */
    private boolean indexed(int[] labels, int key) {
        for (long indexKey : propertyIndexes.keySet()) {
            if ((int) indexKey == key && Arrays.binarySearch(labels, (int) (indexKey >>> 32)) >= 0) {
                return true;
            }
        }
        return false;
    }

    /**
     * Checks that a node exists before a change to its label {@code labelId} is gathered; {@code labelId} is -1
     * only for removing a label that was never used, named then by {@code labelName}.
     */
    void checkNodeForLabel(long node, int labelId, String labelName, String action) {
        if (!nodeExists(node)) {
            throw missingNode(node, action + " label '" + name(labelId, labelName) + "'");
        }
    }

    /**
     * Makes one transaction's label changes to a node at once: the node gets one new label set however many
     * labels changed, instead of one set per label (quadratic in the labels added), and the label and property
     * indexes are moved for each label whose membership changed.
     */
    void changeLabels(long node, com.carrotsearch.hppc.IntIntHashMap changes) {
        int set = nodeLabels.get(node) - 1;
        int[] current = labelSets.labels(set);
        int[] changed = new int[current.length + changes.size()];
        int size = 0;
        for (int label : current) {
            if (changes.getOrDefault(label, LabelChange.ADD) == LabelChange.ADD) {
                changed[size++] = label;
            }
        }
        for (com.carrotsearch.hppc.cursors.IntIntCursor change : changes) {
            if (change.value == LabelChange.ADD && Arrays.binarySearch(current, change.key) < 0) {
                changed[size++] = change.key;
            }
        }
        Arrays.sort(changed, 0, size);
        int[] result = Arrays.copyOf(changed, size);
        if (Arrays.equals(result, current)) {
            return;
        }
        int next = labelSets.intern(result);
        labelSets.acquire(next);
        labelSets.release(set);
        nodeLabels.set(node, next + 1);
        for (int label : current) {
            if (Arrays.binarySearch(result, label) < 0) {
                forEachIndexedProperty(label, node, false);
                labelIndex.remove(label, node);
            }
        }
        for (int label : result) {
            if (Arrays.binarySearch(current, label) < 0) {
                labelIndex.add(label, node);
                forEachIndexedProperty(label, node, true);
            }
        }
    }

    /** What a transaction last did with a label of a node, in {@link #changeLabels}' map. */
    static final class LabelChange {
        static final int ADD = 1;
        static final int REMOVE = 2;

        private LabelChange() {
        }
    }

    void deleteRelationship(long id) {
        if (!relationshipExists(id)) {
            throw missingRelationship(id, "delete relationship " + id);
        }
        long start = relStart.get(id);
        long end = relEnd.get(id);
        unlink(id, start, relPrevOut, relNextOut, nodeFirstOut);
        unlink(id, end, relPrevIn, relNextIn, nodeFirstIn);
        int typeId = relTypes.get(id) - 1;
        typeCounts.addTo(typeId, -1);
        relTypes.set(id, 0);
        relProperties.set(id, null);
        relStart.set(id, -1);
        relEnd.set(id, -1);
        relNextOut.set(id, -1);
        relPrevOut.set(id, -1);
        relNextIn.set(id, -1);
        relPrevIn.set(id, -1);
        relationshipCount--;
    }

    void deleteNode(long node) {
        if (!nodeExists(node)) {
            throw missingNode(node, "delete node " + node);
        }
        if (nodeFirstOut.get(node) >= 0 || nodeFirstIn.get(node) >= 0) {
            throw new IllegalStateException("cannot delete node " + node + ": it still has relationships");
        }
        int set = nodeLabels.get(node) - 1;
        for (int label : labelSets.labels(set)) {
            forEachIndexedProperty(label, node, false);
            labelIndex.remove(label, node);
        }
        labelSets.release(set);
        nodeLabels.set(node, 0);
        nodeProperties.set(node, null);
        nodeFirstOut.set(node, NO_NODE);
        nodeFirstIn.set(node, NO_NODE);
        nodeCount--;
    }

    void detachDeleteNode(long node) {
        if (!nodeExists(node)) {
            throw missingNode(node, "detach-delete node " + node);
        }
        for (long rel = nodeFirstOut.get(node); rel >= 0; rel = nodeFirstOut.get(node)) {
            deleteRelationship(rel);
        }
        for (long rel = nodeFirstIn.get(node); rel >= 0; rel = nodeFirstIn.get(node)) {
            deleteRelationship(rel);
        }
        deleteNode(node);
    }

    void createIndex(int labelId, int keyId) {
        long indexKey = indexKey(labelId, keyId);
        if (propertyIndexes.containsKey(indexKey)) {
            return;
        }
        Map<Object, LongHashSet> index = new HashMap<>();
        propertyIndexes.put(indexKey, index);
        for (long node : labelIndex.members(labelId)) {
            Object value = PropertyBlock.get(nodeProperties.get(node), keyId);
            if (value != null) {
                index.computeIfAbsent(Values.indexKey(value), k -> new LongHashSet()).add(node);
            }
        }
    }

    /** Drops an index; an id of -1 names a symbol that was never used, so there is no such index. */
    void dropIndex(int labelId, int keyId) {
        if (labelId >= 0 && keyId >= 0) {
            propertyIndexes.remove(indexKey(labelId, keyId));
        }
    }

    private static long indexKey(int label, int key) {
        return ((long) label << 32) | (key & 0xFFFF_FFFFL);
    }

    /** Moves {@code node} from {@code old} to {@code value} in every index on (one of labels, key). */
    private void indexValue(int[] labels, int key, long node, Object old, Object value) {
        if (propertyIndexes.isEmpty()) {
            return;
        }
        for (int label : labels) {
            Map<Object, LongHashSet> index = propertyIndexes.get(indexKey(label, key));
            if (index == null) {
                continue;
            }
            if (old != null) {
                Object oldKey = Values.indexKey(old);
                LongHashSet nodes = index.get(oldKey);
                if (nodes != null && nodes.remove(node) && nodes.isEmpty()) {
                    index.remove(oldKey);
                }
            }
            if (value != null) {
                index.computeIfAbsent(Values.indexKey(value), k -> new LongHashSet()).add(node);
            }
        }
    }

    /** Adds or removes every indexed property of {@code node} under {@code label}. */
    private void forEachIndexedProperty(int label, long node, boolean add) {
        if (propertyIndexes.isEmpty()) {
            return;
        }
        for (Map.Entry<Long, Map<Object, LongHashSet>> entry : propertyIndexes.entrySet()) {
            long indexKey = entry.getKey();
            if ((int) (indexKey >>> 32) != label) {
                continue;
            }
            Object value = PropertyBlock.get(nodeProperties.get(node), (int) indexKey);
            if (value == null) {
                continue;
            }
            Object valueKey = Values.indexKey(value);
            if (add) {
                entry.getValue().computeIfAbsent(valueKey, k -> new LongHashSet()).add(node);
            } else {
                LongHashSet nodes = entry.getValue().get(valueKey);
                if (nodes != null && nodes.remove(node) && nodes.isEmpty()) {
                    entry.getValue().remove(valueKey);
                }
            }
        }
    }

    // ---- queries --------------------------------------------------------------------------------------

    Node node(long id) {
        if (!nodeExists(id)) {
            return null;
        }
        int[] labelIds = labelSets.labels(nodeLabels.get(id) - 1);
        List<String> labels = new ArrayList<>(labelIds.length);
        for (int label : labelIds) {
            labels.add(symbols.name(label));
        }
        Collections.sort(labels);
        return new Node(id, Collections.unmodifiableList(labels), exported(nodeProperties.get(id)));
    }

    Relationship relationship(long id) {
        if (!relationshipExists(id)) {
            return null;
        }
        return new Relationship(id, symbols.name(relTypes.get(id) - 1), relStart.get(id), relEnd.get(id),
                exported(relProperties.get(id)));
    }

    private Map<String, Object> exported(byte[] block) {
        Map<String, Object> properties = PropertyBlock.toMap(block, symbols);
        properties.replaceAll((key, value) -> Values.export(value));
        return Collections.unmodifiableMap(properties);
    }

    /** Ids of the nodes with {@code label}, ascending. */
    long[] nodeIdsWithLabel(String label) {
        int labelId = symbols.find(label);
        return labelId < 0 ? new long[0] : labelIndex.members(labelId);
    }

    /** Ids of the nodes with {@code label} whose {@code key} equals {@code value}, ascending. */
    long[] nodeIdsWithProperty(String label, String key, Object value) {
        int labelId = symbols.find(label);
        int keyId = symbols.find(key);
        if (labelId < 0 || keyId < 0) {
            return new long[0];
        }
        Map<Object, LongHashSet> index = propertyIndexes.get(indexKey(labelId, keyId));
        long[] ids;
        if (index != null) {
            LongHashSet nodes = index.get(Values.indexKey(value));
            ids = nodes == null ? new long[0] : nodes.toArray();
        } else {
            LongArrayList matches = new LongArrayList();
            for (long node : labelIndex.members(labelId)) {
                Object stored = PropertyBlock.get(nodeProperties.get(node), keyId);
                if (stored != null && Values.equal(stored, value)) {
                    matches.add(node);
                }
            }
            ids = matches.toArray();
        }
        Arrays.sort(ids);
        return ids;
    }

    boolean hasIndex(String label, String key) {
        int labelId = symbols.find(label);
        int keyId = symbols.find(key);
        return labelId >= 0 && keyId >= 0 && propertyIndexes.containsKey(indexKey(labelId, keyId));
    }

    /** Ids of a node's relationships, optionally of one type, newest first per direction. */
    LongArrayList relationshipIds(long node, Direction direction, String type) {
        LongArrayList ids = new LongArrayList();
        if (!nodeExists(node)) {
            return ids;
        }
        int typeId = -1;
        if (type != null) {
            typeId = symbols.find(type);
            if (typeId < 0) {
                return ids;
            }
        }
        if (direction != Direction.INCOMING) {
            for (long rel = nodeFirstOut.get(node); rel >= 0; rel = relNextOut.get(rel)) {
                if (typeId < 0 || relTypes.get(rel) == typeId + 1) {
                    ids.add(rel);
                }
            }
        }
        if (direction != Direction.OUTGOING) {
            for (long rel = nodeFirstIn.get(node); rel >= 0; rel = relNextIn.get(rel)) {
                boolean selfLoopSeen = direction == Direction.BOTH && relStart.get(rel) == node;
                if (!selfLoopSeen && (typeId < 0 || relTypes.get(rel) == typeId + 1)) {
                    ids.add(rel);
                }
            }
        }
        return ids;
    }

    long otherNode(long relationship, long node) {
        long start = relStart.get(relationship);
        return start == node ? relEnd.get(relationship) : start;
    }

    boolean hasRelationships(long node) {
        return nodeFirstOut.get(node) >= 0 || nodeFirstIn.get(node) >= 0;
    }

    /** Label names with their node counts, sorted by name. */
    Map<String, Long> labelCounts() {
        Map<String, Long> counts = new java.util.TreeMap<>();
        for (int label = 0; label < labelIndex.labelBound(); label++) {
            long count = labelIndex.count(label);
            if (count > 0) {
                counts.put(symbols.name(label), count);
            }
        }
        return counts;
    }

    /** Relationship type names with their counts, sorted by name. */
    Map<String, Long> relationshipTypeCounts() {
        Map<String, Long> counts = new java.util.TreeMap<>();
        typeCounts.forEach((com.carrotsearch.hppc.procedures.IntLongProcedure) (type, count) -> {
            if (count > 0) {
                counts.put(symbols.name(type), count);
            }
        });
        return counts;
    }

    List<IndexDefinition> indexes() {
        List<IndexDefinition> definitions = new ArrayList<>();
        for (long indexKey : propertyIndexes.keySet()) {
            definitions.add(new IndexDefinition(symbols.name((int) (indexKey >>> 32)), symbols.name((int) indexKey)));
        }
        return definitions;
    }

    /**
     * Returns how many nodes the store holds.
     *
     * @return the node count
     */
    public long nodeCount() {
        return nodeCount;
    }

    /**
     * Returns how many relationships the store holds.
     *
     * @return the relationship count
     */
    public long relationshipCount() {
        return relationshipCount;
    }
}
