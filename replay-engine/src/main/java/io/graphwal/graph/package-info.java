/**
 * The in-memory property graph: the columnar {@link io.graphwal.graph.GraphStore}, write transactions
 * ({@link io.graphwal.graph.Graph#commit}) logged as {@link io.graphwal.graph.Mutation} lists in the
 * {@link io.graphwal.graph.MutationCodec} format, and consistent reads ({@link io.graphwal.graph.GraphView}).
 */
package io.graphwal.graph;
