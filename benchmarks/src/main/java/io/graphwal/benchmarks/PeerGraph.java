package io.graphwal.benchmarks;

import java.nio.file.Path;
import java.util.Locale;

/**
 * One embedded graph database under comparison, driven through its own core Java API (never a query
 * language) to do the same work as the others: durable commits of a small transaction, loading a
 * {@link GeneratedGraph}, and the reads of {@link PeerReadBenchmark}. Each system runs in its own JVM (JMH
 * forks per parameter value), with the durability each system documents as durable: GraphWAL
 * {@code per-commit}, Neo4j's default (its transaction log forced on each commit), ArcadeDB with WAL flush
 * {@code YES_NOMETADATA}.
 *
 * <p>Every system keeps a {@link GraphSchema#NAME_KEY name} index on {@link GeneratedGraph#LABEL}, created
 * before anything is loaded, so the lookups are index lookups everywhere. Implementations are safe for
 * concurrent use by several threads once opened; {@link #load} is called by one thread alone.
 */
interface PeerGraph extends AutoCloseable {

    /** The systems compared. */
    enum Engine {
        /** GraphWAL, {@code per-commit}. */
        GRAPHWAL,
        /** Neo4j embedded 5.26, default durability. */
        NEO4J,
        /** ArcadeDB embedded 25.3, WAL flush {@code YES_NOMETADATA}. */
        ARCADEDB;

        /** @return the lower-case name used in keys and directory names */
        String key() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Names shared by every system's schema. */
    final class GraphSchema {
        /** The label of every node. */
        static final String LABEL = GeneratedGraph.LABEL;
        /** The indexed string property. */
        static final String NAME_KEY = GeneratedGraph.NAME_KEY;
        /** The long property. */
        static final String NUMBER_KEY = GeneratedGraph.NUMBER_KEY;
        /** The type of the relationship each durable commit creates. */
        static final String COMMIT_TYPE = "KNOWS";

        private GraphSchema() {
        }
    }

    /**
     * Opens (or creates) a database in a directory, with the name index in place.
     *
     * @param system which system
     * @param directory its directory, empty for a new database
     * @return the open database
     */
    static PeerGraph open(Engine system, Path directory) {
        return switch (system) {
            case GRAPHWAL -> GraphWalPeer.open(directory);
            case NEO4J -> Neo4jPeer.open(directory);
            case ARCADEDB -> ArcadeDbPeer.open(directory);
        };
    }

    /**
     * Commits one transaction that creates two nodes with the label and two properties each and a
     * relationship between them, and returns once it is durable.
     *
     * @param number the first node's long property (the second gets {@code number + 1})
     * @param name the first node's name (the second gets {@code name + "b"})
     */
    void commitPair(long number, String name);

    /**
     * Loads a graph in transactions of {@code batch} nodes or relationships, each committed as durably as
     * {@link #commitPair}, and fills {@code ids} with each node's id encoded as a long, which the reads then
     * use. The caller allocates the array, so that every system's heap holds the same one.
     *
     * @param graph the graph
     * @param batch nodes or relationships per transaction
     * @param ids one slot per node, filled by node number
     */
    void load(GeneratedGraph graph, int batch, long[] ids);

    /**
     * Hands a reopened database the node ids that {@link #load} filled in before.
     *
     * @param ids the ids, by node number
     */
    void useIds(long[] ids);

    /**
     * Counts a node's outgoing relationships by walking them.
     *
     * @param node a node number of the loaded graph
     * @return the count
     */
    long oneHop(int node);

    /**
     * Counts the outgoing relationships of the nodes at the end of a node's outgoing relationships (paths of
     * length two), by walking them.
     *
     * @param node a node number of the loaded graph
     * @return the count
     */
    long twoHop(int node);

    /**
     * Counts the nodes with the label whose name equals {@code name}, through the index.
     *
     * @param name the name
     * @return the count
     */
    long lookup(String name);

    /**
     * Waits for whatever a freshly opened database still builds in the background before it serves reads at
     * its usual speed (Neo4j brings its indexes online after a start); nothing for the others.
     */
    default void settle() {
    }

    /** Closes the database cleanly. */
    @Override
    void close();
}
