package io.graphwal.graph;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Interns sets of label ids, so a node stores one int however many labels it has. Graphs use few distinct
 * label combinations, so the table stays small. Set 0 is the empty set.
 *
 * <p>Each set counts the nodes that use it, and a set no node uses any more is freed and its id reused. A node
 * whose labels change one transaction at a time passes through a new set each time, and without freeing them
 * the table would grow with every change ever made, in memory and in every snapshot (once, before a transaction's
 * label changes were merged, one request adding 20,000 labels left 20,000 sets of up to 20,000 ids). A frozen
 * image copies the table (the arrays are immutable), so freeing or reusing an id afterwards does not change
 * what the image reads; the ids of freed sets are null in the copy. Used under the store's write lock.
 */
final class LabelSets {

    private final Map<Key, Integer> ids = new HashMap<>();
    private final List<int[]> sets = new ArrayList<>();
    /** Nodes using each set; set 0 is never freed. */
    private int[] users = new int[16];
    private final com.carrotsearch.hppc.IntArrayList free = new com.carrotsearch.hppc.IntArrayList();
    /** Label id to its single-label set id + 1, 0 where not yet interned. */
    private int[] singles = new int[16];

    private record Key(int[] labels) {
        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && Arrays.equals(labels, key.labels);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(labels);
        }
    }

    LabelSets() {
        intern(new int[0]);
    }

    /**
     * Returns the id of the set {@code sortedLabels[0, count)}, sorted and duplicate-free, copying the array
     * only if the set is new. Single-label sets, by far the most common, are found without hashing.
     */
    int intern(int[] sortedLabels, int count) {
        if (count == 1) {
            int label = sortedLabels[0];
            if (label < singles.length && singles[label] != 0) {
                return singles[label] - 1;
            }
            int id = intern(new int[] {label});
            if (label >= singles.length) {
                singles = Arrays.copyOf(singles, Math.max(label + 1, singles.length * 2));
            }
            singles[label] = id + 1;
            return id;
        }
        return count == 0 ? 0 : intern(Arrays.copyOf(sortedLabels, count));
    }

    /**
     * Returns the id of a sorted, duplicate-free set of label ids. A new set has no users until
     * {@link #acquire}; until then it may be freed by the next {@link #release} that frees anything.
     */
    int intern(int[] sortedLabels) {
        Key key = new Key(sortedLabels);
        Integer id = ids.get(key);
        if (id != null) {
            return id;
        }
        int fresh;
        if (free.isEmpty()) {
            fresh = sets.size();
            sets.add(sortedLabels);
            if (fresh >= users.length) {
                users = Arrays.copyOf(users, users.length * 2);
            }
        } else {
            fresh = free.removeAt(free.size() - 1);
            sets.set(fresh, sortedLabels);
        }
        ids.put(key, fresh);
        return fresh;
    }

    /** One more node uses set {@code setId}. */
    void acquire(int setId) {
        users[setId]++;
    }

    /** One node fewer uses set {@code setId}; the set is freed when none does. */
    void release(int setId) {
        if (--users[setId] == 0 && setId != 0) {
            int[] labels = sets.get(setId);
            ids.remove(new Key(labels));
            if (labels.length == 1 && labels[0] < singles.length) {
                singles[labels[0]] = 0;
            }
            sets.set(setId, null);
            free.add(setId);
        }
    }

    /** Frees every set without users, once users have been counted after loading a snapshot. */
    void freeUnused() {
        for (int setId = 1; setId < sets.size(); setId++) {
            if (users[setId] == 0 && sets.get(setId) != null) {
                users[setId] = 1;
                release(setId);
            }
        }
    }

    /** The labels of a set in use (or, in a frozen copy, null for an id that was free). */
    int[] labels(int setId) {
        return sets.get(setId);
    }

    /** One more than the highest id given out; free ids below it hold no set. */
    int size() {
        return sets.size();
    }

    /** How many sets are in use, for tests and the memory accounting. */
    int live() {
        return sets.size() - free.size();
    }
}
