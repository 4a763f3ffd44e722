package io.graphwal.benchmarks;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import io.graphwal.graph.Direction;
import io.graphwal.graph.IndexDefinition;
import io.graphwal.graph.Relationship;
import io.graphwal.replay.DatabaseConfig;
import io.graphwal.replay.GraphDatabase;
import io.graphwal.wal.SyncMode;
import io.graphwal.wal.WalConfig;

/** GraphWAL as a {@link PeerGraph}: {@code per-commit}, default checkpoint settings. */
final class GraphWalPeer implements PeerGraph {

    private static final List<String> LABELS = List.of(GraphSchema.LABEL);

    private final GraphDatabase db;
    private long[] ids;

    private GraphWalPeer(GraphDatabase db) {
        this.db = db;
    }

    static GraphWalPeer open(Path directory) {
        GraphDatabase db = GraphDatabase.open(DatabaseConfig.of(
                WalConfig.builder(directory).syncMode(SyncMode.PER_COMMIT).build()));
        // Only a new database gets the index: a reopen must not pay for a commit before its first query.
        IndexDefinition index = new IndexDefinition(GraphSchema.LABEL, GraphSchema.NAME_KEY);
        if (!db.read(view -> view.indexes()).contains(index)) {
            db.commit(tx -> {
                tx.createIndex(index.label(), index.key());
                return null;
            });
        }
        return new GraphWalPeer(db);
    }

    @Override
    public void commitPair(long number, String name) {
        db.commit(tx -> {
            long a = tx.createNode(LABELS, Map.of(GraphSchema.NUMBER_KEY, number, GraphSchema.NAME_KEY, name));
            long b = tx.createNode(LABELS, Map.of(GraphSchema.NUMBER_KEY, number + 1,
                    GraphSchema.NAME_KEY, name + "b"));
            return tx.createRelationship(a, b, GraphSchema.COMMIT_TYPE, Map.of());
        });
    }

    @Override
    public void load(GeneratedGraph graph, int batch, long[] ids) {
        long[] loaded = GraphLoaders.loadNodes(graph, db, batch);
        System.arraycopy(loaded, 0, ids, 0, ids.length);
        this.ids = ids;
        GraphLoaders.loadRelationships(graph, db, ids, batch);
    }

    @Override
    public void useIds(long[] ids) {
        this.ids = ids;
    }

    @Override
    public long oneHop(int node) {
        long id = ids[node];
        return db.read(view -> (long) view.relationships(id, Direction.OUTGOING, null).size());
    }

    @Override
    public long twoHop(int node) {
        long id = ids[node];
        return db.read(view -> {
            long count = 0;
            for (Relationship r : view.relationships(id, Direction.OUTGOING, null)) {
                count += view.relationships(r.endNode(), Direction.OUTGOING, null).size();
            }
            return count;
        });
    }

    @Override
    public long lookup(String name) {
        return db.read(view -> (long) view.nodesWithProperty(GraphSchema.LABEL, GraphSchema.NAME_KEY, name).size());
    }

    @Override
    public void close() {
        db.close();
    }
}
