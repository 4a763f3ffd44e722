package io.graphwal.benchmarks;

import java.util.SplittableRandom;

/**
 * A random graph drawn from a fixed seed, the same for every system that loads it: {@code nodes} nodes with
 * the label {@value #LABEL} and two small properties ({@value #NUMBER_KEY}, a long, and {@value #NAME_KEY},
 * a short string such as {@code user4f2a}), and {@code relationships} relationships without properties
 * between uniformly drawn nodes, each of one of {@link #TYPES}. Nodes are numbered from 0; relationship
 * endpoints refer to those numbers, and each loader maps them to its own ids.
 *
 * <p>Only the endpoints and types are held (9 bytes per relationship); node properties are computed from the
 * node's number on demand, so the generator itself stays small next to the graphs it feeds.
 */
public final class GeneratedGraph {

    /** The seed every benchmark uses. */
    public static final long SEED = 0x47726170685741L;
    /** The one node label. */
    public static final String LABEL = "Person";
    /** The long property. */
    public static final String NUMBER_KEY = "number";
    /** The string property. */
    public static final String NAME_KEY = "name";
    /** Relationship types, drawn uniformly. */
    static final String[] TYPES = {"KNOWS", "LIKES", "FOLLOWS"};

    private final int nodes;
    private final int[] starts;
    private final int[] ends;
    private final byte[] types;

    private GeneratedGraph(int nodes, int[] starts, int[] ends, byte[] types) {
        this.nodes = nodes;
        this.starts = starts;
        this.ends = ends;
        this.types = types;
    }

    /**
     * Draws a graph.
     *
     * @param nodes how many nodes, at least 1
     * @param relationships how many relationships, 0 or more
     * @param seed the seed
     * @return the graph
     * @throws IllegalArgumentException if a count is out of range
     */
    public static GeneratedGraph generate(int nodes, int relationships, long seed) {
        if (nodes < 1) {
            throw new IllegalArgumentException("a generated graph needs at least one node, was asked for " + nodes);
        }
        if (relationships < 0) {
            throw new IllegalArgumentException("relationships must be 0 or more, was " + relationships);
        }
        SplittableRandom random = new SplittableRandom(seed);
        int[] starts = new int[relationships];
        int[] ends = new int[relationships];
        byte[] types = new byte[relationships];
        for (int i = 0; i < relationships; i++) {
            starts[i] = random.nextInt(nodes);
            ends[i] = random.nextInt(nodes);
            types[i] = (byte) random.nextInt(TYPES.length);
        }
        return new GeneratedGraph(nodes, starts, ends, types);
    }

    /** @return the number of nodes */
    public int nodes() {
        return nodes;
    }

    /** @return the number of relationships */
    public int relationships() {
        return starts.length;
    }

    /**
     * @param node a node number
     * @return its {@value #NUMBER_KEY} property
     */
    public long number(int node) {
        // A cheap bijective mix: values look random but need no storage.
        long z = (node + SEED) * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        return z ^ (z >>> 31);
    }

    /**
     * @param node a node number
     * @return its {@value #NAME_KEY} property
     */
    public String name(int node) {
        return "user" + Integer.toHexString(node);
    }

    /**
     * @param relationship a relationship number
     * @return the number of its start node
     */
    public int start(int relationship) {
        return starts[relationship];
    }

    /**
     * @param relationship a relationship number
     * @return the number of its end node
     */
    public int end(int relationship) {
        return ends[relationship];
    }

    /**
     * @param relationship a relationship number
     * @return its type
     */
    public String type(int relationship) {
        return TYPES[types[relationship]];
    }

    /**
     * @param relationship a relationship number
     * @return the index of its type in {@link #TYPES}, for loaders that keep one handle per type
     */
    public int typeIndex(int relationship) {
        return types[relationship];
    }
}
