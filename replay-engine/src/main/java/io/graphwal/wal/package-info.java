/**
 * The write-ahead log: segmented, checksummed record files with three sync modes, a poisoned latch after any
 * I/O failure, verifying recovery at open, readers from any LSN, and purge.
 *
 * <p>{@link io.graphwal.wal.WriteAheadLog} is the entry point; {@link io.graphwal.io.FileIO} (package {@code io.graphwal.io}) is the single
 * file-system seam that tests use to inject failures and simulate power loss. The on-disk format is described
 * in {@code WalFormat}.
 */
package io.graphwal.wal;

