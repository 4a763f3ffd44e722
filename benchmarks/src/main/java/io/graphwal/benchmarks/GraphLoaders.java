package io.graphwal.benchmarks;

import java.util.List;
import java.util.Map;

import org.apache.tinkerpop.gremlin.structure.T;
import org.apache.tinkerpop.gremlin.structure.Vertex;
import org.apache.tinkerpop.gremlin.tinkergraph.structure.TinkerGraph;

import io.graphwal.replay.GraphDatabase;

/**
 * Puts a {@link GeneratedGraph} into GraphWAL (through its public commit API, in transactions of a given
 * number of mutations) or into TinkerGraph, in the same order: all nodes, then all relationships.
 */
public final class GraphLoaders {

    private static final List<String> LABELS = List.of(GeneratedGraph.LABEL);

    private GraphLoaders() {
    }

    /**
     * Commits the graph's nodes to a database.
     *
     * @param graph the graph
     * @param db an open database
     * @param mutationsPerTransaction how many nodes per transaction
     * @return GraphWAL's id of each node, by node number
     */
    public static long[] loadNodes(GeneratedGraph graph, GraphDatabase db, int mutationsPerTransaction) {
        long[] ids = new long[graph.nodes()];
        for (int from = 0; from < graph.nodes(); from += mutationsPerTransaction) {
            int first = from;
            int last = Math.min(graph.nodes(), from + mutationsPerTransaction);
            db.commit(tx -> {
                for (int i = first; i < last; i++) {
                    ids[i] = tx.createNode(LABELS, Map.of(GeneratedGraph.NUMBER_KEY, graph.number(i),
                            GeneratedGraph.NAME_KEY, graph.name(i)));
                }
                return null;
            });
        }
        return ids;
    }

    /**
     * Commits the graph's relationships to a database that holds its nodes.
     *
     * @param graph the graph
     * @param db the database
     * @param ids the node ids {@link #loadNodes} returned
     * @param mutationsPerTransaction how many relationships per transaction
     */
    public static void loadRelationships(GeneratedGraph graph, GraphDatabase db, long[] ids,
            int mutationsPerTransaction) {
        for (int from = 0; from < graph.relationships(); from += mutationsPerTransaction) {
            int first = from;
            int last = Math.min(graph.relationships(), from + mutationsPerTransaction);
            db.commit(tx -> {
                for (int i = first; i < last; i++) {
                    tx.createRelationship(ids[graph.start(i)], ids[graph.end(i)], graph.type(i), Map.of());
                }
                return null;
            });
        }
    }

    /**
     * Commits the whole graph to a database.
     *
     * @param graph the graph
     * @param db an open database
     * @param mutationsPerTransaction mutations per transaction
     */
    public static void load(GeneratedGraph graph, GraphDatabase db, int mutationsPerTransaction) {
        loadRelationships(graph, db, loadNodes(graph, db, mutationsPerTransaction), mutationsPerTransaction);
    }

    /**
     * Adds the graph's nodes to a TinkerGraph.
     *
     * @param graph the graph
     * @param tinker the TinkerGraph
     * @param vertices filled with each node's vertex, by node number
     */
    public static void loadNodes(GeneratedGraph graph, TinkerGraph tinker, Vertex[] vertices) {
        for (int i = 0; i < graph.nodes(); i++) {
            vertices[i] = tinker.addVertex(T.label, GeneratedGraph.LABEL, GeneratedGraph.NUMBER_KEY, graph.number(i),
                    GeneratedGraph.NAME_KEY, graph.name(i));
        }
    }

    /**
     * Adds the graph's relationships to a TinkerGraph that holds its nodes.
     *
     * @param graph the graph
     * @param vertices the vertices {@link #loadNodes(GeneratedGraph, TinkerGraph, Vertex[])} made
     */
    public static void loadRelationships(GeneratedGraph graph, Vertex[] vertices) {
        for (int i = 0; i < graph.relationships(); i++) {
            vertices[graph.start(i)].addEdge(graph.type(i), vertices[graph.end(i)]);
        }
    }

    /**
     * Builds the whole graph in a new TinkerGraph.
     *
     * @param graph the graph
     * @return the TinkerGraph, which the caller closes
     */
    public static TinkerGraph toTinkerGraph(GeneratedGraph graph) {
        TinkerGraph tinker = TinkerGraph.open();
        Vertex[] vertices = new Vertex[graph.nodes()];
        loadNodes(graph, tinker, vertices);
        loadRelationships(graph, vertices);
        return tinker;
    }
}
