package io.graphwal.graph;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import com.carrotsearch.hppc.IntIntHashMap;
import com.carrotsearch.hppc.LongArrayList;
import com.carrotsearch.hppc.LongObjectHashMap;
import com.carrotsearch.hppc.procedures.LongObjectProcedure;

/**
 * Applies a transaction in its logged form ({@link MutationCodec}) straight to a {@link GraphStore}, without
 * building {@link Mutation} objects on the way.
 *
 * <p>Replay applies millions of mutations, and decoding each into records, lists, maps and strings, only to
 * intern the strings again and re-encode the values, cost more than changing the store. Here labels, types
 * and keys go from their UTF-8 bytes to symbol ids through a small cache keyed by those bytes, and a new
 * entity's property block is assembled by copying the logged value bytes, which already have the block's
 * encoding. The live commit path applies its transactions the same way, so a live store and a replayed one
 * are built by the same code.
 *
 * <p>Decoding checks what {@link MutationCodec#decode} checks and throws {@link MalformedDataException} for
 * the same inputs; a mutation that does not fit the store throws {@link IllegalStateException}. Either way
 * the mutations before it stay applied, so a caller that gets an exception discards the store. One per store,
 * used under the store's write lock; not thread-safe.
 */
final class TransactionApplier {

    private static final int SLOTS = 1024;
    private static final int MAX_CACHED_LENGTH = 64;

    private final GraphStore store;
    /** Property changes gathered per entity and made once at the end of the transaction; see PropertyEdits. */
    private final LongObjectHashMap<PropertyEdits> nodeEdits = new LongObjectHashMap<>();
    private final LongObjectHashMap<PropertyEdits> relationshipEdits = new LongObjectHashMap<>();
    /** Label changes gathered per node, label id to {@link GraphStore.LabelChange}, made at the end too. */
    private final LongObjectHashMap<IntIntHashMap> labelEdits = new LongObjectHashMap<>();
    private final byte[][] cachedNames = new byte[SLOTS][];
    private final int[] cachedIds = new int[SLOTS];
    private ByteBuffer buffer;
    private int[] labels = new int[4];
    private int[] keys = new int[8];
    private int[] valueStarts = new int[8];
    private int[] valueEnds = new int[8];
    // Where the last symbol read lies in the buffer, to name it in a message when it has no id.
    private int nameStart;
    private int nameLength;

    TransactionApplier(GraphStore store) {
        this.store = store;
    }

    /**
     * Applies every mutation of one encoded transaction, in order.
     *
     * @param payload read from its position to its limit
     */
    void apply(ByteBuffer payload) {
        buffer = payload;
        try {
            ByteReader in = new ByteReader(payload);
            MutationCodec.readHeader(in);
            // Each mutation takes at least two bytes, which bounds the count.
            int count = in.getCount(in.remaining() / 2, "mutation count");
            for (int i = 0; i < count; i++) {
                applyOne(in);
            }
            if (in.hasRemaining()) {
                throw new MalformedDataException(in.remaining() + " unexpected bytes after " + count + " mutations");
            }
            // Labels first: the property changes then move the node in the indexes of its final labels.
            labelEdits.forEach((LongObjectProcedure<IntIntHashMap>) store::changeLabels);
            nodeEdits.forEach((LongObjectProcedure<PropertyEdits>) (node, edits) ->
                    store.setNodeProperties(node, edits, payload));
            relationshipEdits.forEach((LongObjectProcedure<PropertyEdits>) (relationship, edits) ->
                    store.setRelationshipProperties(relationship, edits, payload));
        } finally {
            buffer = null;
            nodeEdits.clear();
            relationshipEdits.clear();
            labelEdits.clear();
        }
    }

    private void applyOne(ByteReader in) {
        int opcode = in.getByte();
        switch (opcode) {
            case MutationCodec.CREATE_NODE -> {
                long id = in.getVarLong();
                int labelCount = readLabels(in);
                store.createNode(id, labels, labelCount, readProperties(in));
            }
            case MutationCodec.CREATE_RELATIONSHIP -> {
                long id = in.getVarLong();
                int type = symbol(in, true);
                long start = in.getVarLong();
                long end = in.getVarLong();
                store.createRelationship(id, type, start, end, readProperties(in));
            }
            case MutationCodec.SET_NODE_PROPERTY -> {
                long node = in.getVarLong();
                int key = symbol(in, true);
                int start = in.position();
                Values.skip(in);
                store.checkNodeForProperty(node, key, null);
                edits(nodeEdits, node).set(key, start, in.position());
            }
            case MutationCodec.REMOVE_NODE_PROPERTY -> {
                long node = in.getVarLong();
                int key = symbol(in, false);
                store.checkNodeForProperty(node, key, unknownName(key));
                if (key >= 0) {
                    edits(nodeEdits, node).remove(key);
                }
            }
            case MutationCodec.ADD_LABEL -> {
                long node = in.getVarLong();
                int label = symbol(in, true);
                store.checkNodeForLabel(node, label, null, "add");
                labelChanges(node).put(label, GraphStore.LabelChange.ADD);
            }
            case MutationCodec.REMOVE_LABEL -> {
                long node = in.getVarLong();
                int label = symbol(in, false);
                store.checkNodeForLabel(node, label, unknownName(label), "remove");
                if (label >= 0) {
                    labelChanges(node).put(label, GraphStore.LabelChange.REMOVE);
                }
            }
            case MutationCodec.SET_RELATIONSHIP_PROPERTY -> {
                long relationship = in.getVarLong();
                int key = symbol(in, true);
                int start = in.position();
                Values.skip(in);
                store.checkRelationshipForProperty(relationship, key, null);
                edits(relationshipEdits, relationship).set(key, start, in.position());
            }
            case MutationCodec.REMOVE_RELATIONSHIP_PROPERTY -> {
                long relationship = in.getVarLong();
                int key = symbol(in, false);
                store.checkRelationshipForProperty(relationship, key, unknownName(key));
                if (key >= 0) {
                    edits(relationshipEdits, relationship).remove(key);
                }
            }
            case MutationCodec.DELETE_RELATIONSHIP -> {
                long relationship = in.getVarLong();
                store.deleteRelationship(relationship);
                relationshipEdits.remove(relationship);
            }
            case MutationCodec.DELETE_NODE -> {
                long node = in.getVarLong();
                // The store still holds the node's labels and properties as they were before this
                // transaction, and deleting it clears those; its gathered changes are dropped with it.
                store.deleteNode(node);
                nodeEdits.remove(node);
                labelEdits.remove(node);
            }
            case MutationCodec.DETACH_DELETE_NODE -> {
                long node = in.getVarLong();
                if (!relationshipEdits.isEmpty()) {
                    LongArrayList relationships = store.relationshipIds(node, Direction.BOTH, null);
                    for (int i = 0; i < relationships.size(); i++) {
                        relationshipEdits.remove(relationships.get(i));
                    }
                }
                store.detachDeleteNode(node);
                nodeEdits.remove(node);
                labelEdits.remove(node);
            }
            case MutationCodec.CREATE_INDEX -> {
                int label = symbol(in, true);
                store.createIndex(label, symbol(in, true));
            }
            case MutationCodec.DROP_INDEX -> {
                int label = symbol(in, false);
                store.dropIndex(label, symbol(in, false));
            }
            default -> throw new MalformedDataException("unknown mutation opcode " + opcode + " at offset "
                    + (in.position() - 1));
        }
    }

    private IntIntHashMap labelChanges(long node) {
        IntIntHashMap changes = labelEdits.get(node);
        if (changes == null) {
            changes = new IntIntHashMap();
            labelEdits.put(node, changes);
        }
        return changes;
    }

    private static PropertyEdits edits(LongObjectHashMap<PropertyEdits> edits, long id) {
        PropertyEdits entity = edits.get(id);
        if (entity == null) {
            entity = new PropertyEdits();
            edits.put(id, entity);
        }
        return entity;
    }

    /** Reads a node's labels into {@code labels} as sorted, distinct symbol ids; returns how many. */
    private int readLabels(ByteReader in) {
        int count = in.getCount(in.remaining(), "label count");
        if (count > labels.length) {
            labels = new int[count];
        }
        int size = 0;
        for (int i = 0; i < count; i++) {
            int label = symbol(in, true);
            int at = size;
            while (at > 0 && labels[at - 1] > label) {
                at--;
            }
            if (at > 0 && labels[at - 1] == label) {
                continue;
            }
            System.arraycopy(labels, at, labels, at + 1, size - at);
            labels[at] = label;
            size++;
        }
        return size;
    }

    /**
     * Reads a property map and returns it as a property block (null when empty): the logged (key, value)
     * pairs become (key id, the same value bytes) in key-id order.
     */
    private byte[] readProperties(ByteReader in) {
        int count = in.getCount(in.remaining() / 2, "property count");
        if (count == 0) {
            return null;
        }
        if (count > keys.length) {
            keys = new int[count];
            valueStarts = new int[count];
            valueEnds = new int[count];
        }
        for (int i = 0; i < count; i++) {
            int key = symbol(in, true);
            int start = in.position();
            Values.skip(in);
            int at = i;
            while (at > 0 && keys[at - 1] > key) {
                keys[at] = keys[at - 1];
                valueStarts[at] = valueStarts[at - 1];
                valueEnds[at] = valueEnds[at - 1];
                at--;
            }
            if (at > 0 && keys[at - 1] == key) {
                throw new MalformedDataException("property '" + store.symbols.name(key) + "' appears twice");
            }
            keys[at] = key;
            valueStarts[at] = start;
            valueEnds[at] = in.position();
        }
        int size = ByteWriter.varIntSize(count);
        for (int i = 0; i < count; i++) {
            size += ByteWriter.varIntSize(keys[i]) + valueEnds[i] - valueStarts[i];
        }
        byte[] block = new byte[size];
        int at = ByteWriter.putVarInt(block, 0, count);
        for (int i = 0; i < count; i++) {
            at = ByteWriter.putVarInt(block, at, keys[i]);
            int length = valueEnds[i] - valueStarts[i];
            buffer.get(valueStarts[i], block, at, length);
            at += length;
        }
        return block;
    }

    /**
     * Reads a string and returns its symbol id: interned if {@code intern}, else the existing id or -1.
     * Symbols are never renumbered, so a cached id stays right for the life of the store.
     */
    private int symbol(ByteReader in, boolean intern) {
        int length = in.getStringLength();
        int start = in.position();
        in.skip(length);
        nameStart = start;
        nameLength = length;
        if (length > MAX_CACHED_LENGTH) {
            return resolve(decode(start, length), intern);
        }
        int hash = length;
        for (int i = 0; i < length; i++) {
            hash = 31 * hash + buffer.get(start + i);
        }
        int slot = (hash ^ (hash >>> 16)) & (SLOTS - 1);
        byte[] cached = cachedNames[slot];
        if (cached != null && cached.length == length && sameBytes(start, cached)) {
            return cachedIds[slot];
        }
        int id = resolve(decode(start, length), intern);
        if (id >= 0) {
            byte[] name = new byte[length];
            buffer.get(start, name, 0, length);
            cachedNames[slot] = name;
            cachedIds[slot] = id;
        }
        return id;
    }

    private int resolve(String name, boolean intern) {
        return intern ? store.symbols.intern(name) : store.symbols.find(name);
    }

    /** The last symbol read, as a string, if it has no id (for messages); null otherwise. */
    private String unknownName(int id) {
        return id >= 0 ? null : decode(nameStart, nameLength);
    }

    private String decode(int start, int length) {
        byte[] utf8 = new byte[length];
        buffer.get(start, utf8, 0, length);
        return new String(utf8, StandardCharsets.UTF_8);
    }

    private boolean sameBytes(int start, byte[] name) {
        for (int i = 0; i < name.length; i++) {
            if (buffer.get(start + i) != name[i]) {
                return false;
            }
        }
        return true;
    }
}
