package io.graphwal.graph;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

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
 *
 * <p>A layer also records how much it grows each entity (labels and properties the store's entity lacks, and
 * the bytes of the values it sets), so that a transaction can be held to {@link GraphLimits} before it is
 * logged: the size an entity will have once every layer is applied is at most its size in the store plus
 * what each layer adds. Removals are not subtracted, so the bound errs only on the side of refusing.
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

        /** The size of a node ({@code node} true) or relationship in the store, zero if the store lacks it. */
        EntitySize size(boolean node, long id);
    }

    /**
     * An entity's size as the store holds it, taken once per layer and entity: the store does not change while
     * the writer holds its lock, and a layer is only grown by its own transaction.
     */
    interface EntitySize {
        /** The size of an entity the store does not hold. */
        EntitySize NONE = new EntitySize() {
            @Override
            public int labels() {
                return 0;
            }

            @Override
            public boolean hasLabel(String label) {
                return false;
            }

            @Override
            public int properties() {
                return 0;
            }

            @Override
            public int propertyBytes(String key) {
                return -1;
            }

            @Override
            public long propertyBytes() {
                return 0;
            }
        };

        int labels();

        boolean hasLabel(String label);

        int properties();

        /** The bytes the store's block gives property {@code key}, -1 if it has none. */
        int propertyBytes(String key);

        long propertyBytes();
    }

    /** What one layer adds to one entity. */
    static final class Growth {
        /** The entity as the store held it when this layer first touched it. */
        final EntitySize stored;
        /** Labels this layer adds that the store's entity lacks. */
        final Set<String> labels = new HashSet<>();
        /** Each key this layer sets, with what the last value set adds to the entity's bytes at most. */
        final Map<String, Long> properties = new HashMap<>();
        /** How many of those keys the store's entity lacks. */
        int newProperties;
        /** The sum of {@link #properties}' values. */
        long bytes;

        Growth(EntitySize stored) {
            this.stored = stored;
        }
    }

    private PendingLayer parent;
    private final Base base;
    private final LongHashSet createdNodes = new LongHashSet();
    private final LongHashSet deletedNodes = new LongHashSet();
    private final LongObjectHashMap<long[]> createdRelationships = new LongObjectHashMap<>();
    private final LongHashSet deletedRelationships = new LongHashSet();
    private final LongObjectHashMap<Growth> nodeGrowth = new LongObjectHashMap<>();
    private final LongObjectHashMap<Growth> relationshipGrowth = new LongObjectHashMap<>();

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

    /** This layer's growth record for an entity, created on first use. */
    Growth growth(boolean node, long id) {
        LongObjectHashMap<Growth> map = node ? nodeGrowth : relationshipGrowth;
        Growth growth = map.get(id);
        if (growth == null) {
            growth = new Growth(base.size(node, id));
            map.put(id, growth);
        }
        return growth;
    }

    /**
     * Sums, over this layer and the layers below it, the labels, new properties and bytes they add to an
     * entity: {@code {labels, properties, bytes}}.
     */
    long[] growthBelowAndHere(boolean node, long id) {
        long[] sum = new long[3];
        for (PendingLayer layer = this; layer != null; layer = layer.parent) {
            Growth growth = (node ? layer.nodeGrowth : layer.relationshipGrowth).get(id);
            if (growth != null) {
                sum[0] += growth.labels.size();
                sum[1] += growth.newProperties;
                sum[2] += growth.bytes;
            }
        }
        return sum;
    }
}
