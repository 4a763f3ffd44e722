/**
 * The write-ahead log: segmented, checksummed record files with three sync modes, a poisoned latch after any
 * I/O failure, verifying recovery at open, readers from any LSN, and purge. Its files are reached only through
 * the seam in {@code io.graphwal.io}, where tests inject failures and simulate power loss; the on-disk format
 * is described in {@code WalFormat}.
 *
 * <p>Public types: {@link io.graphwal.wal.WriteAheadLog} (read, flush, status) and
 * {@link io.graphwal.wal.LogWriter} (the one handle that appends and purges), opened with a
 * {@link io.graphwal.wal.WalConfig} in a {@link io.graphwal.wal.SyncMode} under a
 * {@link io.graphwal.wal.TornTailPolicy}, observed by a {@link io.graphwal.wal.WalListener};
 * {@link io.graphwal.wal.WalRecovery} (verify before any change, then open), {@link io.graphwal.wal.WalReader}
 * and {@link io.graphwal.wal.WalInspector} (read-only, for tools); the reports
 * {@link io.graphwal.wal.WalStatus}, {@link io.graphwal.wal.RecoveryReport} and
 * {@link io.graphwal.wal.WalPoison}; and the exceptions {@link io.graphwal.wal.WalException},
 * {@link io.graphwal.wal.WalPoisonedException}, {@link io.graphwal.wal.WalClosedException},
 * {@link io.graphwal.wal.WalLockedException}, {@link io.graphwal.wal.WalCorruptionException},
 * {@link io.graphwal.wal.WalRecordTooLargeException} and {@link io.graphwal.wal.InvalidSettingException}.
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
