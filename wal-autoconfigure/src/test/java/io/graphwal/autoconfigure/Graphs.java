package io.graphwal.autoconfigure;

import java.util.List;
import java.util.Map;

import io.graphwal.replay.GraphDatabase;

/** Writes small graphs for tests. */
public final class Graphs {

    private Graphs() {
    }

    /**
     * Commits one transaction that creates two Person nodes that know each other.
     *
     * @param database where to write
     * @return the transaction's LSN
     */
    public static long addFriends(GraphDatabase database) {
        return database.commit((tx) -> {
            long a = tx.createNode(List.of("Person"), Map.of("name", "a"));
            long b = tx.createNode(List.of("Person"), Map.of("name", "b"));
            return tx.createRelationship(a, b, "KNOWS", Map.of());
        }).lsn();
    }
}
