package io.graphwal.graph;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Interns sets of label ids, so a node stores one int however many labels it has. Graphs use few distinct
 * label combinations, so the table stays small. Set 0 is the empty set. Append-only, like {@link Symbols}.
 */
final class LabelSets {

    private final Map<Key, Integer> ids = new HashMap<>();
    private final List<int[]> sets = new ArrayList<>();
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

    /** Returns the id of a sorted, duplicate-free set of label ids. */
    int intern(int[] sortedLabels) {
        Key key = new Key(sortedLabels);
        Integer id = ids.get(key);
        if (id != null) {
            return id;
        }
        int fresh = sets.size();
        sets.add(sortedLabels);
        ids.put(key, fresh);
        return fresh;
    }

    int[] labels(int setId) {
        return sets.get(setId);
    }

    int size() {
        return sets.size();
    }

    int with(int setId, int label) {
        int[] labels = sets.get(setId);
        int at = Arrays.binarySearch(labels, label);
        if (at >= 0) {
            return setId;
        }
        int insert = -at - 1;
        int[] grown = new int[labels.length + 1];
        System.arraycopy(labels, 0, grown, 0, insert);
        grown[insert] = label;
        System.arraycopy(labels, insert, grown, insert + 1, labels.length - insert);
        return intern(grown);
    }

    int without(int setId, int label) {
        int[] labels = sets.get(setId);
        int at = Arrays.binarySearch(labels, label);
        if (at < 0) {
            return setId;
        }
        int[] shrunk = new int[labels.length - 1];
        System.arraycopy(labels, 0, shrunk, 0, at);
        System.arraycopy(labels, at + 1, shrunk, at, labels.length - at - 1);
        return intern(shrunk);
    }
}
