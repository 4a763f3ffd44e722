/**
 * JMH benchmarks of GraphWAL against the physical limit of the disk and against its peers (RocksDB,
 * Chronicle Queue, TinkerGraph), and the report that turns one run of them into the specification's
 * targets. Start with {@link io.graphwal.benchmarks.BenchmarkReport}; {@code benchmarks/run.sh} wraps it.
 */
package io.graphwal.benchmarks;
