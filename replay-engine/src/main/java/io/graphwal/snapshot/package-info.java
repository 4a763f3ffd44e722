/**
 * Snapshot files: named by LSN, a checksummed header, a body streamed as checksummed blocks, written
 * atomically (temporary file, fsync, rename, directory fsync). The body is a graph image, which the block
 * streams carry without knowing what it holds.
 *
 * <p>Public types: {@link io.graphwal.snapshot.GraphSnapshots} (write, read and verify a graph snapshot),
 * {@link io.graphwal.snapshot.SnapshotFiles} (names, listing, temporary-file clean-up) and
 * {@link io.graphwal.snapshot.SnapshotCorruptException}.
 */
package io.graphwal.snapshot;
