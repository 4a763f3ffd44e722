/**
 * The write-ahead log: segmented, checksummed record files with three sync modes, a poisoned latch after any
 * I/O failure, verifying recovery at open, readers from any LSN, and purge.
 *
 * <p>{@link io.graphwal.wal.WriteAheadLog} is the entry point; {@link io.graphwal.io.FileIO} (package {@code io.graphwal.io}) is the single
 * file-system seam that tests use to inject failures and simulate power loss. The on-disk format is described
 * in {@code WalFormat}.
 *
 * <p>Reading the implementation, one concern a class: {@code WriteAheadLog}, the façade (the API, the closed
 * flag, the append lock, and what the parts promise together); {@code SegmentWriter}, the write side of the
 * files (batching, rollover, fsync, purge, and the force lock), with {@code Segment} (one file and its handle)
 * and {@code RecordBatch} (records framed but not yet written); {@code DurabilityTracker} (the durable LSN,
 * the poison and the fsync leaders) and {@code GroupFlusher} (the group-mode thread). Opening is
 * {@code WalRecovery}, {@code LogScan} (verification, changing nothing, with {@code DamageProbe} for the
 * bytes past a damage) and {@code LogRecovery} (the cut of a torn tail). Reading is {@code WalReader},
 * {@code RecordCursor} and {@code OffsetIndex}; tools look through {@code WalInspector}.
 */
package io.graphwal.wal;

