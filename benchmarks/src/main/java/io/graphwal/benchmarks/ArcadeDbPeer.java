package io.graphwal.benchmarks;

import java.nio.file.Path;

import com.arcadedb.GlobalConfiguration;
import com.arcadedb.database.Database;
import com.arcadedb.database.DatabaseFactory;
import com.arcadedb.database.RID;
import com.arcadedb.engine.PageManager;
import com.arcadedb.engine.WALFile;
import com.arcadedb.graph.MutableVertex;
import com.arcadedb.graph.Vertex;
import com.arcadedb.index.IndexCursor;
import com.arcadedb.schema.Schema;
import com.arcadedb.schema.Type;
import com.arcadedb.schema.VertexType;

/**
 * ArcadeDB embedded as a {@link PeerGraph}, with WAL flush {@code YES_NOMETADATA} (its default, {@code NO},
 * does not force the WAL before a commit returns, so it is not durable). Vertices are reached by their record
 * ids; edges are bidirectional, as ArcadeDB creates them by default. Concurrent transactions that touch the
 * same pages fail with a conflict in ArcadeDB and are retried, as its own {@code transaction} helper does;
 * a retried commit counts once.
 */
final class ArcadeDbPeer implements PeerGraph {

    /** Attempts per transaction before a conflict is given up on. */
    private static final int RETRIES = 100;

    private final DatabaseFactory factory;
    private final Database db;
    private long[] ids;

    private ArcadeDbPeer(DatabaseFactory factory, Database db) {
        this.factory = factory;
        this.db = db;
    }

    static ArcadeDbPeer open(Path directory) {
        // Read by every thread's transaction context when it is created: set before the database exists.
        GlobalConfiguration.TX_WAL_FLUSH.setValue(1);
        DatabaseFactory factory = new DatabaseFactory(directory.resolve("arcadedb").toString());
        if (factory.exists()) {
            return new ArcadeDbPeer(factory, factory.open());
        }
        Database db = factory.create();
        // Schema changes run outside transactions in ArcadeDB.
        VertexType person = db.getSchema().createVertexType(GraphSchema.LABEL);
        person.createProperty(GraphSchema.NAME_KEY, Type.STRING);
        person.createProperty(GraphSchema.NUMBER_KEY, Type.LONG);
        person.createTypeIndex(Schema.INDEX_TYPE.LSM_TREE, false, GraphSchema.NAME_KEY);
        db.getSchema().createEdgeType(GraphSchema.COMMIT_TYPE);
        for (String type : GeneratedGraph.TYPES) {
            if (!db.getSchema().existsType(type)) {
                db.getSchema().createEdgeType(type);
            }
        }
        return new ArcadeDbPeer(factory, db);
    }

    @Override
    public void commitPair(long number, String name) {
        db.transaction(() -> {
            durably();
            MutableVertex a = db.newVertex(GraphSchema.LABEL).set(GraphSchema.NUMBER_KEY, number)
                    .set(GraphSchema.NAME_KEY, name).save();
            MutableVertex b = db.newVertex(GraphSchema.LABEL).set(GraphSchema.NUMBER_KEY, number + 1)
                    .set(GraphSchema.NAME_KEY, name + "b").save();
            a.newEdge(GraphSchema.COMMIT_TYPE, b, true);
        }, false, RETRIES);
    }

    /**
     * The flush mode belongs to the calling thread's transaction context, which exists only inside a
     * transaction; the global setting already asks for it, and this makes sure of it on every thread.
     */
    private void durably() {
        db.setWALFlush(WALFile.FLUSH_TYPE.YES_NOMETADATA);
    }

    @Override
    public void load(GeneratedGraph graph, int batch, long[] ids) {
        this.ids = ids;
        for (int from = 0; from < graph.nodes(); from += batch) {
            int first = from;
            db.transaction(() -> {
                durably();
                for (int i = first; i < Math.min(graph.nodes(), first + batch); i++) {
                    ids[i] = encode(db.newVertex(GraphSchema.LABEL).set(GraphSchema.NUMBER_KEY, graph.number(i))
                            .set(GraphSchema.NAME_KEY, graph.name(i)).save().getIdentity());
                }
            }, false, RETRIES);
        }
        for (int from = 0; from < graph.relationships(); from += batch) {
            int first = from;
            db.transaction(() -> {
                durably();
                for (int i = first; i < Math.min(graph.relationships(), first + batch); i++) {
                    vertex(graph.start(i)).newEdge(graph.type(i), rid(graph.end(i)), true);
                }
            }, false, RETRIES);
        }
    }

    /** A record id as one long: bucket in the top 16 bits, position in the rest. */
    private static long encode(RID rid) {
        return ((long) rid.getBucketId() << 48) | rid.getPosition();
    }

    private RID rid(int node) {
        long id = ids[node];
        return new RID(db, (int) (id >>> 48), id & 0xFFFF_FFFF_FFFFL);
    }

    private Vertex vertex(int node) {
        return rid(node).asVertex();
    }

    @Override
    public void useIds(long[] ids) {
        this.ids = ids;
    }

    @Override
    public long oneHop(int node) {
        return count(vertex(node));
    }

    @Override
    public long twoHop(int node) {
        long count = 0;
        for (Vertex next : vertex(node).getVertices(Vertex.DIRECTION.OUT)) {
            count += count(next);
        }
        return count;
    }

    private static long count(Vertex vertex) {
        long count = 0;
        for (var ignored : vertex.getEdges(Vertex.DIRECTION.OUT)) {
            count++;
        }
        return count;
    }

    @Override
    public long lookup(String name) {
        IndexCursor cursor = db.lookupByKey(GraphSchema.LABEL, GraphSchema.NAME_KEY, name);
        long count = 0;
        while (cursor.hasNext()) {
            cursor.next();
            count++;
        }
        return count;
    }

    @Override
    public void close() {
        db.close();
        factory.close();
        // The page manager is one per JVM, and its flush thread outlives the database otherwise, holding the
        // JVM (and each JMH fork) open; every JVM here opens ArcadeDB once, so it can stop with the database.
        PageManager.INSTANCE.close();
    }
}
