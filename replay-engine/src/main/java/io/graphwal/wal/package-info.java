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
 */
package io.graphwal.wal;
