package io.graphwal.graph;

import java.util.ArrayList;
import java.util.List;

import com.carrotsearch.hppc.ObjectIntHashMap;

/**
 * Interns labels, relationship types and property keys as small ints, so each node and relationship stores
 * a 4-byte id instead of a string reference. Append-only: an id, once given, names the same string for the
 * life of the store, so a checkpoint can copy the table by its size at the moment it freezes the store.
 * Guarded by the store's write lock for adds; reads of ids below the published size need no lock.
 */
final class Symbols {

    private final ObjectIntHashMap<String> ids = new ObjectIntHashMap<>();
    private final List<String> names = new ArrayList<>();

    /** Returns the id of {@code name}, adding it if new. */
    int intern(String name) {
        int index = ids.indexOf(name);
        if (ids.indexExists(index)) {
            return ids.indexGet(index);
        }
        int id = names.size();
        names.add(name);
        ids.indexInsert(index, name, id);
        return id;
    }

    /** Returns the id of {@code name}, or -1 if it was never interned. */
    int find(String name) {
        return ids.getOrDefault(name, -1);
    }

    String name(int id) {
        return names.get(id);
    }

    int size() {
        return names.size();
    }
}
