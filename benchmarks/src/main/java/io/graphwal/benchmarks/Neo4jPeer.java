package io.graphwal.benchmarks;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.Direction;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.graphdb.Label;
import org.neo4j.graphdb.Node;
import org.neo4j.graphdb.Relationship;
import org.neo4j.graphdb.RelationshipType;
import org.neo4j.graphdb.ResourceIterable;
import org.neo4j.graphdb.ResourceIterator;
import org.neo4j.graphdb.Transaction;

/**
 * Neo4j embedded as a {@link PeerGraph}: default settings (so the transaction log is forced before each
 * commit returns) except that the Bolt connector is off, since nothing here talks to it over the network.
 * Nodes and relationships are reached by their internal long ids, the fastest way the core API offers;
 * Neo4j 5 deprecates those ids in favour of element ids but still serves them.
 */
final class Neo4jPeer implements PeerGraph {

    private static final Label PERSON = Label.label(GraphSchema.LABEL);
    private static final RelationshipType COMMIT_TYPE = RelationshipType.withName(GraphSchema.COMMIT_TYPE);

    private final DatabaseManagementService dbms;
    private final GraphDatabaseService db;
    private long[] ids;

    private Neo4jPeer(DatabaseManagementService dbms, GraphDatabaseService db) {
        this.dbms = dbms;
        this.db = db;
    }

    static Neo4jPeer open(Path directory) {
        DatabaseManagementService dbms = new DatabaseManagementServiceBuilder(directory)
                .setConfig(BoltConnector.enabled, false)
                .build();
        GraphDatabaseService db = dbms.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME);
        boolean indexed;
        try (Transaction tx = db.beginTx()) {
            indexed = tx.schema().getIndexes(PERSON).iterator().hasNext();
        }
        if (!indexed) {
            try (Transaction tx = db.beginTx()) {
                tx.schema().indexFor(PERSON).on(GraphSchema.NAME_KEY).create();
                tx.commit();
            }
            try (Transaction tx = db.beginTx()) {
                tx.schema().awaitIndexesOnline(5, TimeUnit.MINUTES);
            }
        }
        return new Neo4jPeer(dbms, db);
    }

    @Override
    public void settle() {
        try (Transaction tx = db.beginTx()) {
            tx.schema().awaitIndexesOnline(5, TimeUnit.MINUTES);
        }
    }

    @Override
    public void commitPair(long number, String name) {
        try (Transaction tx = db.beginTx()) {
            Node a = tx.createNode(PERSON);
            a.setProperty(GraphSchema.NUMBER_KEY, number);
            a.setProperty(GraphSchema.NAME_KEY, name);
            Node b = tx.createNode(PERSON);
            b.setProperty(GraphSchema.NUMBER_KEY, number + 1);
            b.setProperty(GraphSchema.NAME_KEY, name + "b");
            a.createRelationshipTo(b, COMMIT_TYPE);
            tx.commit();
        }
    }

    @Override
    @SuppressWarnings({"deprecation", "removal"})
    public void load(GeneratedGraph graph, int batch, long[] ids) {
        this.ids = ids;
        for (int from = 0; from < graph.nodes(); from += batch) {
            try (Transaction tx = db.beginTx()) {
                for (int i = from; i < Math.min(graph.nodes(), from + batch); i++) {
                    Node node = tx.createNode(PERSON);
                    node.setProperty(GraphSchema.NUMBER_KEY, graph.number(i));
                    node.setProperty(GraphSchema.NAME_KEY, graph.name(i));
                    ids[i] = node.getId();
                }
                tx.commit();
            }
        }
        RelationshipType[] types = new RelationshipType[GeneratedGraph.TYPES.length];
        for (int t = 0; t < types.length; t++) {
            types[t] = RelationshipType.withName(GeneratedGraph.TYPES[t]);
        }
        for (int from = 0; from < graph.relationships(); from += batch) {
            try (Transaction tx = db.beginTx()) {
                for (int i = from; i < Math.min(graph.relationships(), from + batch); i++) {
                    Node start = tx.getNodeById(ids[graph.start(i)]);
                    start.createRelationshipTo(tx.getNodeById(ids[graph.end(i)]), types[graph.typeIndex(i)]);
                }
                tx.commit();
            }
        }
    }

    @Override
    public void useIds(long[] ids) {
        this.ids = ids;
    }

    @Override
    @SuppressWarnings({"deprecation", "removal"})
    public long oneHop(int node) {
        try (Transaction tx = db.beginTx()) {
            return count(tx.getNodeById(ids[node]));
        }
    }

    @Override
    @SuppressWarnings({"deprecation", "removal"})
    public long twoHop(int node) {
        try (Transaction tx = db.beginTx();
                ResourceIterable<Relationship> first = tx.getNodeById(ids[node]).getRelationships(Direction.OUTGOING)) {
            long count = 0;
            for (Relationship r : first) {
                count += count(r.getEndNode());
            }
            return count;
        }
    }

    private static long count(Node node) {
        long count = 0;
        try (ResourceIterable<Relationship> relationships = node.getRelationships(Direction.OUTGOING)) {
            for (Relationship ignored : relationships) {
                count++;
            }
        }
        return count;
    }

    @Override
    public long lookup(String name) {
        try (Transaction tx = db.beginTx();
                ResourceIterator<Node> nodes = tx.findNodes(PERSON, GraphSchema.NAME_KEY, name)) {
            long count = 0;
            while (nodes.hasNext()) {
                nodes.next();
                count++;
            }
            return count;
        }
    }

    @Override
    public void close() {
        dbms.shutdown();
    }
}
