/**
 * Micrometer metrics for GraphWAL: the log's appends and fsyncs, fed by a
 * {@link io.graphwal.wal.WalListener}, and gauges over the log, snapshots and graph.
 */
package io.graphwal.autoconfigure.metrics;
