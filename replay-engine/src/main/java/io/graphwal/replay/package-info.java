/**
 * The one place that wires the graph, the log and the snapshots together: opening a durable graph (the newest
 * readable snapshot plus the log after it, every check before any change), committing through the log,
 * checkpoints, snapshot retention and purge of the log behind them, the archiver beside the checkpointer, and the
 * change feed.
 *
 * <p>Public types: {@link io.graphwal.replay.GraphDatabase} and {@link io.graphwal.replay.DatabaseConfig}, its
 * reports {@link io.graphwal.replay.ReplayReport} and {@link io.graphwal.replay.CheckpointReport},
 * {@link io.graphwal.replay.ReplayException}, {@link io.graphwal.replay.LogHold} (a reader's claim on the log that
 * purge respects), the change feed ({@link io.graphwal.replay.ChangeListener} receiving each
 * {@link io.graphwal.replay.CommittedTransaction} through a {@link io.graphwal.replay.ChangeSubscription}),
 * {@link io.graphwal.replay.Replay}, the replay of log records into a store that the {@code wal} tool and
 * the benchmarks also run, and the read replica's refusals ({@link io.graphwal.replay.ReadOnlyReplicaException},
 * {@link io.graphwal.replay.ReplicaGapException}).
 */
package io.graphwal.replay;
