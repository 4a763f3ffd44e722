/**
 * The in-memory property graph: the columnar store, write transactions validated against everything written
 * before them and encoded as {@link io.graphwal.graph.Mutation} lists, and consistent reads. The graph knows
 * nothing of files: it writes each transaction to a {@link io.graphwal.graph.TransactionLog} and streams its
 * frozen image through {@link io.graphwal.graph.ImageOutput}, both implemented elsewhere.
 *
 * <p>Public types, for applications: {@link io.graphwal.graph.Transaction}, {@link io.graphwal.graph.Commit},
 * {@link io.graphwal.graph.GraphView}, {@link io.graphwal.graph.Node}, {@link io.graphwal.graph.Relationship},
 * {@link io.graphwal.graph.Direction}, {@link io.graphwal.graph.IndexDefinition},
 * {@link io.graphwal.graph.GraphLimits}, {@link io.graphwal.graph.GraphValidationException} and
 * {@link io.graphwal.graph.GraphFailedException}; for the packages that persist and replay the graph:
 * {@link io.graphwal.graph.Graph}, {@link io.graphwal.graph.GraphStore}, {@link io.graphwal.graph.StoreImage},
 * {@link io.graphwal.graph.TransactionLog}, {@link io.graphwal.graph.ImageOutput},
 * {@link io.graphwal.graph.ImageInput}, {@link io.graphwal.graph.Mutation},
 * {@link io.graphwal.graph.MutationCodec} and {@link io.graphwal.graph.MalformedDataException}.
 */
package io.graphwal.graph;
