package io.graphwal.graph;

import com.carrotsearch.hppc.LongArrayList;
import com.carrotsearch.hppc.LongHashSet;
import com.carrotsearch.hppc.LongObjectHashMap;
import com.carrotsearch.hppc.cursors.LongCursor;

/**
 * What a transaction that is written but not yet applied to the store changes about existence: which nodes
 * and relationships it creates and deletes. Layers stack: the writer validates a new transaction against
 * its own layer, on top of the layers of transactions written ahead of it but not yet visible (in
 * {@code per-commit} mode, those awaiting their fsync), on top of the store. A layer answers what it knows
 * and asks its parent otherwise. Only the writer touches layers, under the graph's writer lock.
 */
final class PendingLayer {

    /** The bottom of the stack: the store itself. */
    interface Base {
        boolean nodeExists(long id);

        boolean relationshipExists(long id);

        long relationshipStart(long id);

        long relationshipEnd(long id);

        /** Relationship ids touching {@code node}, each once. */
        LongArrayList relationshipsOf(long node);
    }

    private PendingLayer parent;
    private final Base base;
    private final LongHashSet createdNodes = new LongHashSet();
    private final LongHashSet deletedNodes = new LongHashSet();
    private final LongObjectHashMap<long[]> createdRelationships = new LongObjectHashMap<>();
    private final LongHashSet deletedRelationships = new LongHashSet();

    PendingLayer(PendingLayer parent, Base base) {
        this.parent = parent;
        this.base = base;
    }

    /** Re-parents this layer once the layers below it have been applied to the store. */
    void parent(PendingLayer newParent) {
        this.parent = newParent;
    }

    boolean nodeExists(long id) {
        if (deletedNodes.contains(id)) {
            return false;
        }
        if (createdNodes.contains(id)) {
            return true;
        }
        return parent != null ? parent.nodeExists(id) : base.nodeExists(id);
    }

    boolean relationshipExists(long id) {
        if (deletedRelationships.contains(id)) {
            return false;
        }
        if (createdRelationships.containsKey(id)) {
            return true;
        }
        return parent != null ? parent.relationshipExists(id) : base.relationshipExists(id);
    }

    /** {start, end} of an existing relationship. */
    long[] endpoints(long id) {
        long[] created = createdRelationships.get(id);
        if (created != null) {
            return created;
        }
        return parent != null ? parent.endpoints(id)
                : new long[] {base.relationshipStart(id), base.relationshipEnd(id)};
    }

    LongArrayList relationshipsOf(long node) {
        LongArrayList below = parent != null ? parent.relationshipsOf(node) : base.relationshipsOf(node);
        LongArrayList result = new LongArrayList(below.size());
        for (LongCursor rel : below) {
            if (!deletedRelationships.contains(rel.value)) {
                result.add(rel.value);
            }
        }
        createdRelationships.forEach((com.carrotsearch.hppc.procedures.LongObjectProcedure<long[]>) (id, ends) -> {
            if ((ends[0] == node || ends[1] == node) && !deletedRelationships.contains(id)) {
                result.add(id);
            }
        });
        return result;
    }

    void createNode(long id) {
        createdNodes.add(id);
    }

    void deleteNode(long id) {
        deletedNodes.add(id);
    }

    void createRelationship(long id, long start, long end) {
        createdRelationships.put(id, new long[] {start, end});
    }

    void deleteRelationship(long id) {
        deletedRelationships.add(id);
    }
}
