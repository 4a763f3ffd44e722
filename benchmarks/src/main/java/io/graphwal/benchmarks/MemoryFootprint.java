package io.graphwal.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Path;
import java.util.Locale;

import org.apache.tinkerpop.gremlin.structure.Vertex;
import org.apache.tinkerpop.gremlin.tinkergraph.structure.TinkerGraph;

import io.graphwal.replay.DatabaseConfig;
import io.graphwal.replay.GraphDatabase;
import io.graphwal.wal.SyncMode;
import io.graphwal.wal.WalConfig;

/**
 * Heap held by a generated graph in GraphWAL and in TinkerGraph, measured in a JVM of its own (the report
 * starts one): used heap after full garbage collections, before and after building.
 *
 * <p><b>Method.</b> The generator's arrays and the id/vertex arrays the loaders fill are allocated before the
 * first measurement, so they count in neither system. GraphWAL: open a database in {@code none} mode with
 * automatic checkpoints off, measure (baseline), commit all nodes, measure, commit all relationships,
 * measure: the first difference divided by the node count is bytes per node, the second divided by the
 * relationship count is bytes per relationship, and their sum is the graph's heap. The database is then
 * closed and dropped and TinkerGraph is measured the same way (empty graph as baseline, then nodes, then
 * edges). "Used heap after GC" is the smallest used-heap figure seen over several consecutive
 * {@code System.gc()} calls, which on a quiet JVM converges after two or three.
 *
 * <p>Usage: {@code MemoryFootprint NODES RELATIONSHIPS}; prints {@code key=value} lines.
 */
public final class MemoryFootprint {

    private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();

    private MemoryFootprint() {
    }

    /**
     * Measures and prints.
     *
     * @param args node count and relationship count
     */
    public static void main(String[] args) {
        if (args.length != 2) {
            System.err.println("usage: MemoryFootprint NODES RELATIONSHIPS");
            System.exit(2);
        }
        int nodes = Integer.parseInt(args[0]);
        int relationships = Integer.parseInt(args[1]);
        GeneratedGraph graph = GeneratedGraph.generate(nodes, relationships, GeneratedGraph.SEED);

        Path directory = TrialFiles.freshDirectory("memory");
        long walNodes;
        long walRelationships;
        try (GraphDatabase db = GraphDatabase.open(new DatabaseConfig(
                WalConfig.builder(directory).syncMode(SyncMode.NONE).build(), 0, 1))) {
            long[] ids = new long[nodes];
            long base = usedAfterGc();
            long[] loaded = GraphLoaders.loadNodes(graph, db, 10_000);
            System.arraycopy(loaded, 0, ids, 0, nodes);
            loaded = null;
            long afterNodes = usedAfterGc();
            GraphLoaders.loadRelationships(graph, db, ids, 10_000);
            long afterRelationships = usedAfterGc();
            walNodes = afterNodes - base;
            walRelationships = afterRelationships - afterNodes;
            print("graphwal.nodes", db.read(view -> view.nodeCount()));
            print("graphwal.relationships", db.read(view -> view.relationshipCount()));
        } finally {
            TrialFiles.delete(directory);
        }

        long tinkerNodes;
        long tinkerRelationships;
        Vertex[] vertices = new Vertex[nodes];
        try (TinkerGraph tinker = TinkerGraph.open()) {
            long base = usedAfterGc();
            GraphLoaders.loadNodes(graph, tinker, vertices);
            long afterNodes = usedAfterGc();
            GraphLoaders.loadRelationships(graph, vertices);
            long afterRelationships = usedAfterGc();
            tinkerNodes = afterNodes - base;
            tinkerRelationships = afterRelationships - afterNodes;
        } catch (Exception e) {
            throw new IllegalStateException("TinkerGraph failed to close", e);
        }

        print("nodes", nodes);
        print("relationships", relationships);
        print("graphwal.heapBytes", walNodes + walRelationships);
        print("graphwal.bytesPerNode", (double) walNodes / nodes);
        print("graphwal.bytesPerRelationship", relationships == 0 ? 0 : (double) walRelationships / relationships);
        print("tinkergraph.heapBytes", tinkerNodes + tinkerRelationships);
        print("tinkergraph.bytesPerNode", (double) tinkerNodes / nodes);
        print("tinkergraph.bytesPerRelationship",
                relationships == 0 ? 0 : (double) tinkerRelationships / relationships);
    }

    private static void print(String key, double value) {
        System.out.println(key + "=" + String.format(Locale.ROOT, "%.2f", value));
    }

    private static void print(String key, long value) {
        System.out.println(key + "=" + value);
    }

    static long usedAfterGc() {
        long least = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            least = Math.min(least, MEMORY.getHeapMemoryUsage().getUsed());
        }
        return least;
    }
}
